"""/billing-overview: a patient's billing at a glance, for a staff app's
patient page (four reads otherwise, each with its own request, transaction
and audit record)."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.web import Blueprint, page_of, patient_scoped, request_session

from ..domain.prior_auths import OPEN
from ..persistence.claims import Claim
from ..persistence.issues import BillingIssue
from ..persistence.prior_auths import PriorAuthorization
from ..service_layer.common import today
from .access import cost_information_access, is_billing_staff
from .presenters.claims import claim_body
from .presenters.coverages import coverage_summary
from .presenters.prior_auths import prior_auth_body
from .schemas.overviews import BillingOverviewArgs, BillingOverviewSchema

blp = Blueprint("billing-overview", __name__, url_prefix="/billing-overview",
                description="A patient's coverage, open prior authorizations, latest claims and billing issues in "
                            "one read.")

_OPEN_PRIOR_AUTHS = {"page": 1, "page_size": 100}


@blp.route("")
class BillingOverview(MethodView):
    @patient_scoped
    @blp.doc(operationId="getBillingOverview")
    @blp.arguments(BillingOverviewArgs, location="query")
    @blp.response(200, BillingOverviewSchema)
    def get(self, args):
        """Read a patient's billing overview

        The coverage summary on a date, and for billing staff the patient's
        open prior authorizations and `latest` claims and billing issues,
        each list as its own endpoint orders it and with its total. The care
        team reads the coverage only (the lists are null). Audited as one
        read of the `billing-overview`."""
        patient_id = args["patient_id"]
        cost_information_access(patient_id, action="read", resource_type="billing-overview")
        session = request_session()
        overview = {"patient_id": patient_id,
                    "coverage": coverage_summary(session, patient_id, args.get("on") or today()),
                    "prior_authorizations": None, "claims": None, "billing_issues": None}
        if not is_billing_staff():
            return overview
        latest = {"page": 1, "page_size": args["latest"]}
        overview["prior_authorizations"] = _presented(page_of(session, select(PriorAuthorization).where(
            PriorAuthorization.patient_id == patient_id, PriorAuthorization.status.in_(OPEN)).order_by(
            PriorAuthorization.created_at.desc(), PriorAuthorization.id), _OPEN_PRIOR_AUTHS), prior_auth_body)
        overview["claims"] = _presented(page_of(session, select(Claim).where(Claim.patient_id == patient_id).order_by(
            Claim.created_at.desc(), Claim.id), latest), claim_body)
        overview["billing_issues"] = page_of(session, select(BillingIssue).where(
            BillingIssue.patient_id == patient_id).order_by(BillingIssue.updated_at.desc(), BillingIssue.id), latest)
        return overview


def _presented(page: dict, present) -> dict:
    return {**page, "items": [present(item) for item in page["items"]]}


def register(api) -> None:
    api.register_blueprint(blp)
