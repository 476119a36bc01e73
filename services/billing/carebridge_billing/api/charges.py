"""/charges: what completed visits cost (billing staff)."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.web import Blueprint, paged, patient_scoped, request_session, require_roles

from ..persistence.charges import Charge
from ..service_layer.charges import get_charge
from .access import BILLING_STAFF, billing_record
from .listing import filtered_page
from .presenters.claims import charge_body
from .schemas.claims import ChargeListArgs, ChargeSchema

blp = Blueprint("charges", __name__, url_prefix="/charges",
                description="Charges for completed visits, at the fee schedule's price.")
RESOURCE = "charge"


@blp.route("")
class Charges(MethodView):
    @require_roles(*BILLING_STAFF)
    @blp.doc(operationId="listCharges")
    @blp.arguments(ChargeListArgs, location="query")
    @blp.response(200, paged(ChargeSchema))
    def get(self, args):
        """List charges

        Newest first."""
        return filtered_page(request_session(), select(Charge).order_by(Charge.created_at.desc(), Charge.id),
                             Charge, args, ("patient_id", "status"), RESOURCE, charge_body)


@blp.route("/<uuid:charge_id>")
class ChargeById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getCharge")
    @blp.response(200, ChargeSchema)
    def get(self, charge_id):
        """Read a charge"""
        return charge_body(billing_record(get_charge, charge_id, action="read", resource_type=RESOURCE))


def register(api) -> None:
    api.register_blueprint(blp)
