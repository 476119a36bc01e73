"""/claims: claims to payers, their lifecycle, submission and appeal.

New claims are drafts held for review (BILLING_CLAIM_HOLD_MINUTES) before the
submission job sends them; staff may submit one at once, and appeal a denial.
"""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.web import (Blueprint, current_runtime, dump, idempotent, paged, patient_scoped, request_session,
                            require_if_match, require_roles, with_etag)

from ..persistence.claims import Claim
from ..service_layer.claim_submission import appeal_claim, submit_claim
from ..service_layer.claims import claim_claim, claim_for_charge, get_claim
from .access import BILLING_STAFF, actor, billing_data_access, billing_record
from .documentation import if_match_action
from .examples import CLAIM, NEW_CLAIM, SUBMIT_OVERRIDE, SUBMITTED_CLAIM
from .listing import filtered_page
from .presenters.claims import claim_body
from .schemas.claims import ClaimCreateSchema, ClaimListArgs, ClaimSchema, ClaimSubmitSchema

_claim = ClaimSchema()


blp = Blueprint("claims", __name__, url_prefix="/claims",
                description="Claims: draft, submitted, accepted, paid or denied, appealed.")
RESOURCE = "claim"


def _answer(claim: Claim, status: int = 200):
    return with_etag((dump(_claim, claim_body(claim)), status), claim.version)


@blp.route("")
class Claims(MethodView):
    @require_roles(*BILLING_STAFF)
    @blp.doc(operationId="listClaims")
    @blp.arguments(ClaimListArgs, location="query")
    @blp.response(200, paged(ClaimSchema))
    def get(self, args):
        """List claims

        Newest first."""
        return filtered_page(request_session(), select(Claim).order_by(Claim.created_at.desc(), Claim.id),
                             Claim, args, ("patient_id", "status"), RESOURCE, claim_body)

    @patient_scoped
    @require_roles(*BILLING_STAFF)
    @idempotent
    @blp.doc(operationId="createClaim")
    @blp.arguments(ClaimCreateSchema, example=NEW_CLAIM)
    @blp.response(201, ClaimSchema, example=CLAIM)
    def post(self, data):
        """Bill a charge that has no claim

        A draft against the charge's coverage."""
        session = request_session()
        claim = claim_for_charge(session, charge_id=data["charge_id"], coverage_id=data.get("coverage_id"),
                                 settings=current_runtime().service_settings, actor=actor())
        billing_data_access(claim.patient_id, action="create", resource_type=RESOURCE, resource_id=claim.id)
        return _answer(claim, 201)


def _change(claim_id, use_case):
    # Locked: the submission job may be sending this very claim.
    claim = billing_record(claim_claim, claim_id, action="update", resource_type=RESOURCE)
    require_if_match(claim.version)
    runtime = current_runtime()
    return _answer(use_case(request_session(), claim, runtime.dependencies.payer, runtime.service_settings, actor()))


@blp.route("/<uuid:claim_id>")
class ClaimById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getClaim")
    @blp.response(200, ClaimSchema, example=CLAIM)
    def get(self, claim_id):
        """Read a claim with its history"""
        return _answer(billing_record(get_claim, claim_id, action="read", resource_type=RESOURCE))


@blp.route("/<uuid:claim_id>/submit")
class SubmitClaim(MethodView):
    @patient_scoped
    @if_match_action(blp)
    @blp.doc(operationId="submitClaim")
    @blp.arguments(ClaimSubmitSchema, example=SUBMIT_OVERRIDE, required=False)
    @blp.response(200, ClaimSchema, example=SUBMITTED_CLAIM)
    def post(self, data, claim_id):
        """Send a claim to the payer now

        A draft or failed claim; it stays submission-failed if the payer is down. A claim whose prior
        authorization the payer has not approved yet is held (409) unless `override_reason` says why it
        goes anyway."""
        return _change(claim_id, lambda session, claim, payer, settings, by: submit_claim(
            session, claim, payer, settings, by, override_reason=data.get("override_reason")))


@blp.route("/<uuid:claim_id>/appeal")
class AppealClaim(MethodView):
    @patient_scoped
    @if_match_action(blp)
    @blp.doc(operationId="appealClaim")
    @blp.response(200, ClaimSchema)
    def post(self, claim_id):
        """Appeal a denied claim"""
        return _change(claim_id, appeal_claim)


def register(api) -> None:
    api.register_blueprint(blp)
