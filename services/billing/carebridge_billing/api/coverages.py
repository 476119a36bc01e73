"""/coverages: a patient's insurance, its summary for the care team, and
eligibility checks with the payer."""
from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from carebridge.web import (Blueprint, current_runtime, documented_if_match, dump, idempotent, paged, patient_scoped,
                            request_session, require_if_match, require_roles, with_etag)

from ..persistence.coverages import Coverage
from ..service_layer import coverages as use_cases
from ..service_layer.common import today
from ..service_layer.eligibility import check_eligibility
from .access import BILLING_STAFF, actor, billing_data_access, billing_record, cost_information_access
from .examples import CHANGED_COVERAGE, COVERAGE, COVERAGE_CHANGES, ELIGIBILITY, ELIGIBILITY_REQUEST, NEW_COVERAGE
from .listing import filtered_page
from .presenters.coverages import coverage_body, coverage_summary, eligibility_body
from .schemas.coverages import (CoverageCreateSchema, CoverageListArgs, CoverageSchema, CoverageSummaryArgs,
                                CoverageSummarySchema, CoverageUpdateSchema, EligibilityRequestSchema,
                                EligibilitySchema)

_coverage = CoverageSchema()


blp = Blueprint("coverages", __name__, url_prefix="/coverages",
                description="Patients' insurance coverage, cost-sharing summaries and eligibility checks.")
RESOURCE = "coverage"


def _answer(session, coverage: Coverage, status: int = 200):
    return with_etag((dump(_coverage, coverage_body(session, coverage)), status), coverage.version)


@blp.route("")
class Coverages(MethodView):
    @require_roles(*BILLING_STAFF)
    @blp.doc(operationId="listCoverages")
    @blp.arguments(CoverageListArgs, location="query")
    @blp.response(200, paged(CoverageSchema))
    def get(self, args):
        """List coverages

        Billing staff; newest first."""
        session = request_session()
        return filtered_page(session, select(Coverage).order_by(Coverage.created_at.desc(), Coverage.id), Coverage,
                             args, ("patient_id", "payer_id", "status"), RESOURCE,
                             lambda coverage: coverage_body(session, coverage))

    @patient_scoped
    @require_roles(*BILLING_STAFF)
    @idempotent
    @blp.doc(operationId="recordCoverage")
    @blp.arguments(CoverageCreateSchema, example=NEW_COVERAGE)
    @blp.response(201, CoverageSchema, example=COVERAGE)
    def post(self, data):
        """Record a coverage

        With the amounts met so far this plan year."""
        session = request_session()
        billing_data_access(data["patient_id"], action="create", resource_type=RESOURCE)
        return _answer(session, use_cases.create_coverage(session, data, actor()), 201)


@blp.route("/summary")
class CoverageSummary(MethodView):
    @patient_scoped
    @blp.doc(operationId="getCoverageSummary")
    @blp.arguments(CoverageSummaryArgs, location="query")
    @blp.response(200, CoverageSummarySchema)
    def get(self, args):
        """Read a patient's coverage on a date

        The plan and the patient's cost sharing (no member or group numbers), for the care team and
        billing staff."""
        session = request_session()
        patient_id, on = args["patient_id"], args.get("on") or today()
        cost_information_access(patient_id, action="read", resource_type="coverage-summary")
        return coverage_summary(session, patient_id, on)


@blp.route("/<uuid:coverage_id>")
class CoverageById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getCoverage")
    @blp.response(200, CoverageSchema, example=COVERAGE)
    def get(self, coverage_id):
        """Read a coverage in full

        Billing staff only."""
        coverage = billing_record(use_cases.get_coverage, coverage_id, action="read", resource_type=RESOURCE)
        return _answer(request_session(), coverage)

    @patient_scoped
    @documented_if_match
    @blp.doc(operationId="updateCoverage")
    @blp.arguments(CoverageUpdateSchema, example=COVERAGE_CHANGES)
    @blp.response(200, CoverageSchema, example=CHANGED_COVERAGE)
    def patch(self, changes, coverage_id):
        """Change a coverage

        Its terms, dates, order or amounts met this plan year."""
        session = request_session()
        coverage = billing_record(use_cases.get_coverage, coverage_id, action="update", resource_type=RESOURCE)
        require_if_match(coverage.version)
        return _answer(session, use_cases.update_coverage(session, coverage, changes))


@blp.route("/<uuid:coverage_id>/eligibility-checks")
class EligibilityChecks(MethodView):
    @patient_scoped
    @blp.doc(operationId="checkEligibility")
    @blp.arguments(EligibilityRequestSchema, example=ELIGIBILITY_REQUEST)
    @blp.response(201, EligibilitySchema, example=ELIGIBILITY)
    @blp.alt_response(503, "SERVICE_UNAVAILABLE")
    def post(self, data, coverage_id):
        """Ask the payer whether a coverage is active

        503 while the payer does not answer."""
        session = request_session()
        coverage = billing_record(use_cases.get_coverage, coverage_id, action="create",
                                  resource_type="eligibility-check")
        check = check_eligibility(session, coverage, current_runtime().dependencies.payer,
                                  data.get("service_date") or today(), actor())
        return eligibility_body(check)


def register(api) -> None:
    api.register_blueprint(blp)
