"""/care-plans/{id}/versions and /diff: a plan's history."""
from __future__ import annotations

from flask.views import MethodView

from carebridge.auth.roles import CLINICAL_READERS
from carebridge.web import Blueprint, PageArgs, page_of, paged, patient_access, patient_scoped, request_session, \
    require_roles

from ..service_layer import plan_history, plans
from .schemas.plans import DiffArgs, PlanDiffSchema, PlanVersionItemSchema, PlanVersionSchema

blp = Blueprint("care-plan-history", __name__, url_prefix="/care-plans",
                description="Every version of a plan (author, time, reason) and the differences between them.")


def _readable_plan(plan_id):
    plan = plans.load_plan(request_session(), plan_id)
    patient_access(plan.patient_id, action="read", resource_type="care-plan-version", resource_id=plan.id)
    return plan


@blp.route("/<uuid:plan_id>/versions")
class PlanVersions(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="listCarePlanVersions")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, paged(PlanVersionItemSchema))
    def get(self, args, plan_id):
        """List a care plan's versions

        Newest first."""
        plan = _readable_plan(plan_id)
        return page_of(request_session(), plan_history.versions_query(plan.id), args)


@blp.route("/<uuid:plan_id>/versions/<int:version>")
class PlanVersion(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getCarePlanVersion")
    @blp.response(200, PlanVersionSchema)
    def get(self, plan_id, version):
        """Read one version of a care plan

        The whole plan as it then stood, and the medication safety findings kept with it."""
        plan = _readable_plan(plan_id)
        session = request_session()
        found = plan_history.load_version(session, plan.id, version)
        return {**{name: getattr(found, name) for name in PlanVersionItemSchema().fields},
                "document": found.document, "medication_alerts": plan_history.alerts_of(session, plan.id, version)}


@blp.route("/<uuid:plan_id>/diff")
class PlanDiff(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="compareCarePlanVersions")
    @blp.arguments(DiffArgs, location="query")
    @blp.response(200, PlanDiffSchema)
    def get(self, args, plan_id):
        """Compare two versions of a care plan

        What changed between them (?from=1&to=3), by section."""
        plan = _readable_plan(plan_id)
        return plan_history.compare(request_session(), plan.id, args["from_version"], args["to_version"])
