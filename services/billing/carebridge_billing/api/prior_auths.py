"""/prior-authorizations: requests to payers to approve a service ahead of
time, opened by bookings that need one (or by staff), decided by the payer."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.web import (Blueprint, current_runtime, dump, idempotent, paged, patient_scoped, request_session,
                            require_if_match, require_roles, with_etag)

from ..persistence.prior_auths import PriorAuthorization
from ..service_layer.common import today
from ..service_layer.prior_auth_payer import send_prior_auth
from ..service_layer.prior_auths import get_prior_auth, request_by_staff, withdraw
from ..service_layer.pricing import priced_service
from .access import BILLING_STAFF, actor, billing_data_access, billing_record
from .documentation import if_match_action
from .examples import NEW_PRIOR_AUTH, PRIOR_AUTH
from .listing import filtered_page
from .presenters.prior_auths import prior_auth_body
from .schemas.prior_auths import PriorAuthCreateSchema, PriorAuthListArgs, PriorAuthSchema

_prior_auth = PriorAuthSchema()


blp = Blueprint("prior-authorizations", __name__, url_prefix="/prior-authorizations",
                description="Prior authorizations: requested, pended, approved (units, expiry), denied, expired.")
RESOURCE = "prior-authorization"


def _answer(prior_auth: PriorAuthorization, status: int = 200):
    return with_etag((dump(_prior_auth, prior_auth_body(prior_auth)), status), prior_auth.version)


@blp.route("")
class PriorAuthorizations(MethodView):
    @require_roles(*BILLING_STAFF)
    @blp.doc(operationId="listPriorAuthorizations")
    @blp.arguments(PriorAuthListArgs, location="query")
    @blp.response(200, paged(PriorAuthSchema))
    def get(self, args):
        """List prior authorizations

        Newest first."""
        statement = select(PriorAuthorization).order_by(PriorAuthorization.created_at.desc(), PriorAuthorization.id)
        return filtered_page(request_session(), statement, PriorAuthorization, args,
                             ("patient_id", "status", "service_code"), RESOURCE, prior_auth_body)

    @patient_scoped
    @require_roles(*BILLING_STAFF)
    @idempotent
    @blp.doc(operationId="requestPriorAuthorization")
    @blp.arguments(PriorAuthCreateSchema, example=NEW_PRIOR_AUTH)
    @blp.response(201, PriorAuthSchema, example=PRIOR_AUTH)
    def post(self, data):
        """Request a prior authorization from the payer

        Sent at once; retried if the payer is down."""
        session = request_session()
        billing_data_access(data["patient_id"], action="create", resource_type=RESOURCE)
        priced_service(on=today(), service_code=data["service_code"])  # a service billing knows
        prior_auth = request_by_staff(session, patient_id=data["patient_id"], service_code=data["service_code"],
                                      units=data["units"], coverage_id=data.get("coverage_id"), on=today(),
                                      actor=actor())
        runtime = current_runtime()
        send_prior_auth(session, prior_auth, runtime.dependencies.payer, runtime.service_settings)
        return _answer(prior_auth, 201)


@blp.route("/<uuid:prior_auth_id>")
class PriorAuthById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getPriorAuthorization")
    @blp.response(200, PriorAuthSchema, example=PRIOR_AUTH)
    def get(self, prior_auth_id):
        """Read a prior authorization

        With the visits holding its units."""
        return _answer(billing_record(get_prior_auth, prior_auth_id, action="read", resource_type=RESOURCE))


@blp.route("/<uuid:prior_auth_id>/withdraw")
class WithdrawPriorAuth(MethodView):
    @patient_scoped
    @if_match_action(blp)
    @blp.doc(operationId="withdrawPriorAuthorization")
    @blp.response(200, PriorAuthSchema)
    def post(self, prior_auth_id):
        """Withdraw a prior authorization request

        Only while the payer has not decided."""
        prior_auth = billing_record(get_prior_auth, prior_auth_id, action="update", resource_type=RESOURCE)
        require_if_match(prior_auth.version)
        return _answer(withdraw(request_session(), prior_auth))


def register(api) -> None:
    api.register_blueprint(blp)
