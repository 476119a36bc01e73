"""/care-plans/{id}/summary: the plan in everyday words, as JSON and as a
printable page."""
from __future__ import annotations

from flask import Response, render_template
from flask.views import MethodView

from carebridge.auth.roles import CLINICAL_READERS
from carebridge.web import Blueprint, patient_access, patient_scoped, request_session, require_roles

from ..domain.plain_language import summarise
from ..domain.task_owners import responsible_coordinator
from ..persistence.documents import plan_document
from ..persistence.models import PatientProjection
from ..persistence.queries import care_teams
from ..service_layer import plans
from .schemas.summaries import PlanSummarySchema

blp = Blueprint("care-plan-summaries", __name__, url_prefix="/care-plans",
                description="A plain-language summary of a plan for the patient and their family.")


def _summary(plan_id) -> dict:
    session = request_session()
    plan = plans.load_plan(session, plan_id)
    patient_access(plan.patient_id, action="read", resource_type="care-plan-summary", resource_id=plan.id)
    patient = session.get(PatientProjection, plan.patient_id)
    lead, _team = responsible_coordinator(care_teams(session, plan.patient_id), plan.care_team_id)
    return PlanSummarySchema().dump(summarise(plan_document(plan), time_zone=patient.time_zone if patient else None,
                                              lead_coordinator_id=lead))


@blp.route("/<uuid:plan_id>/summary")
class PlanSummary(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getCarePlanSummary")
    @blp.response(200, PlanSummarySchema)
    def get(self, plan_id):
        """Read a care plan's plain-language summary

        What to take and when, upcoming visits, diet and therapy, what to watch for and whom to call."""
        return _summary(plan_id)


@blp.route("/<uuid:plan_id>/summary.html")
class PrintablePlanSummary(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="printCarePlanSummary")
    @blp.response(200, content_type="text/html", description="A printable page (no scripts, no external files)")
    def get(self, plan_id):
        """Print a care plan's summary

        The same summary as a page to print and hand to the patient."""
        page = render_template("plan_summary.html", summary=_summary(plan_id))
        return Response(page, mimetype="text/html",
                        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
                                 "Cache-Control": "no-store"})
