"""/fee-schedule and /payers: the reference data billing works from (any
signed-in staff member may read it; it holds no patient data)."""
from __future__ import annotations

from flask.views import MethodView

from carebridge.errors import NotFoundError
from carebridge.web import Blueprint, PageArgs, page_from_list, paged

from ..reference import Payer, fee_schedule, payer_directory
from ..service_layer.common import today
from .fields import money
from .schemas.reference import FeeOnDateArgs, FeeScheduleArgs, FeeScheduleEntrySchema, PayerSchema

fee_blp = Blueprint("fee-schedule", __name__, url_prefix="/fee-schedule",
                    description="Prices by service code, with the billing category copays are keyed by.")
payers_blp = Blueprint("payers", __name__, url_prefix="/payers",
                       description="Payers and plans coverage can be recorded for, with their policies.")


def _entry_body(entry) -> dict:
    return {"service_code": entry.service_code, "description": entry.description, "category": entry.category,
            "price": money(entry.price, entry.currency), "effective_from": entry.effective_from}


def _payer_body(payer: Payer) -> dict:
    return {"payer_id": payer.payer_id, "name": payer.name, "plans": [
        {"plan_id": plan.plan_id, "name": plan.name, "prior_auth_service_codes": sorted(plan.prior_auth_units),
         "not_covered_service_codes": sorted(plan.not_covered)} for plan in payer.plans.values()]}


@fee_blp.route("")
class FeeSchedule(MethodView):
    @fee_blp.doc(operationId="listFees")
    @fee_blp.arguments(FeeScheduleArgs, location="query")
    @fee_blp.response(200, paged(FeeScheduleEntrySchema))
    def get(self, args):
        """List the prices in force on a date"""
        entries = sorted(fee_schedule().in_force(args.get("on") or today()).values(), key=lambda e: e.service_code)
        return page_from_list([_entry_body(entry) for entry in entries], args)


@fee_blp.route("/<string:service_code>")
class FeeByCode(MethodView):
    @fee_blp.doc(operationId="getFee")
    @fee_blp.arguments(FeeOnDateArgs, location="query")
    @fee_blp.response(200, FeeScheduleEntrySchema)
    def get(self, args, service_code):
        """Read a service code's price on a date"""
        entry = fee_schedule().price_on(service_code, args.get("on") or today())
        if entry is None:
            raise NotFoundError("The fee schedule has no price for this service code on this date.")
        return _entry_body(entry)


@payers_blp.route("")
class Payers(MethodView):
    @payers_blp.doc(operationId="listPayers")
    @payers_blp.arguments(PageArgs, location="query")
    @payers_blp.response(200, paged(PayerSchema))
    def get(self, args):
        """List the payers and their plans"""
        payers = sorted(payer_directory().payers.values(), key=lambda p: p.payer_id)
        return page_from_list([_payer_body(payer) for payer in payers], args)


@payers_blp.route("/<string:payer_id>")
class PayerById(MethodView):
    @payers_blp.doc(operationId="getPayer")
    @payers_blp.response(200, PayerSchema)
    def get(self, payer_id):
        """Read a payer and its plans"""
        payer = payer_directory().payer(payer_id)
        if payer is None:
            raise NotFoundError("No such payer.")
        return _payer_body(payer)


def register(api) -> None:
    api.register_blueprint(fee_blp)
    api.register_blueprint(payers_blp)
