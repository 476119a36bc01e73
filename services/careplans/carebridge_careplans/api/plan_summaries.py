"""/care-plans/{id}/summary: the plan in everyday words, as JSON and as a
printable page."""
from __future__ import annotations

from flask import Response, render_template
from flask.views import MethodView

from carebridge.auth.roles import CLINICAL_READERS, CLINICAL_ROLES
from carebridge.web import (Blueprint, allow_services, dump, idempotent, patient_access, patient_scoped,
                            request_session, require_roles)

from ..domain.plain_language import summarise, summary_language, words_for
from ..domain.task_owners import responsible_coordinator
from ..persistence.documents import plan_document
from ..persistence.models import PatientProjection
from ..persistence.queries import care_teams
from ..reference.template_texts import template_texts
from ..service_layer import plans
from ..service_layer.summary_sending import send_summary
from .access import actor
from .examples import SUMMARY_SENDING, SUMMARY_SENT
from .schemas.summaries import PlanSummarySchema, SummaryArgs, SummarySendingSchema, SummarySentSchema

_plan_summary = PlanSummarySchema()


blp = Blueprint("care-plan-summaries", __name__, url_prefix="/care-plans",
                description="A plain-language summary of a plan for the patient and their family.")


def _summary(plan_id, language: str | None = None) -> dict:
    """The summary in `language` when given (a relative's), else the patient's."""
    session = request_session()
    plan = plans.load_plan(session, plan_id)
    patient_access(plan.patient_id, action="read", resource_type="care-plan-summary", resource_id=plan.id)
    patient = session.get(PatientProjection, plan.patient_id)
    lead, _team = responsible_coordinator(care_teams(session, plan.patient_id), plan.care_team_id)
    language = language or (patient.preferred_language if patient else None)
    return dump(_plan_summary, summarise(plan_document(plan), time_zone=patient.time_zone if patient else None,
                                         lead_coordinator_id=lead, language=language,
                                         translations=template_texts(plan.template_code,
                                                                     summary_language(language))))


@blp.route("/<uuid:plan_id>/summary")
class PlanSummary(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="getCarePlanSummary")
    @allow_services("notifications")
    @blp.arguments(SummaryArgs, location="query")
    @blp.response(200, PlanSummarySchema)
    def get(self, args, plan_id):
        """Read a care plan's plain-language summary

        What to take and when, upcoming visits, diet and therapy, what to watch for and whom to call, in the
        patient's preferred language (English and Spanish; English, saying so, for the others)."""
        return _summary(plan_id, args.get("language"))


@blp.route("/<uuid:plan_id>/summary.html")
class PrintablePlanSummary(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_READERS)
    @blp.doc(operationId="printCarePlanSummary")
    @blp.response(200, content_type="text/html", description="A printable page (no scripts, no external files)")
    def get(self, plan_id):
        """Print a care plan's summary

        The same summary as a page to print and hand to the patient."""
        summary = _summary(plan_id)
        page = render_template("plan_summary.html", summary=summary, words=words_for(summary["language"]).page)
        return Response(page, mimetype="text/html",
                        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
                                 "Cache-Control": "no-store"})


@blp.route("/<uuid:plan_id>/summary/send")
class PlanSummarySending(MethodView):
    @patient_scoped
    @require_roles(*CLINICAL_ROLES)
    @idempotent
    @blp.doc(operationId="sendCarePlanSummary")
    @blp.arguments(SummarySendingSchema, example=SUMMARY_SENDING)
    @blp.response(202, SummarySentSchema, example=SUMMARY_SENT)
    def post(self, data, plan_id):
        """Send a care plan's summary to the patient and family

        A secure message to the patient and (unless include_family is false) each related person with consent
        to care-plan news, checked again when it is sent; its page shows the summary, ready to print.
        409 for a draft or revoked plan."""
        session = request_session()
        plan = plans.load_plan(session, plan_id)
        patient_access(plan.patient_id, action="create", resource_type="care-plan-summary-sending",
                       resource_id=plan.id)
        return send_summary(session, plan, include_family=data["include_family"], by=actor())
