"""/fhir/R4: the careplans service's records in FHIR R4 (CarePlan with vread
of every stored version, Goal, MedicationRequest, Task, DetectedIssue), for
the clinical readers of its own API, on the same care-team rules."""
from __future__ import annotations

from sqlalchemy import and_, false, or_, select

from carebridge.events.catalogue.careplans import ACTIVITY_STATUSES, PLAN_STATUSES
from carebridge.fhir import FhirResource, FhirSource, SearchParam, fhir_blueprint

from ..fhir.resources import (care_plan_resource, detected_issue_resource, goal_resource,
                              medication_request_resource, medication_request_status, task_resource)
from ..persistence.documents import plan_document
from ..persistence.models import CarePlan, MedicationAlert, PlanActivity, PlanGoal, Task
from ..service_layer import plan_history


def _plan(plan: CarePlan) -> dict:
    return care_plan_resource(plan_document(plan), version=plan.version, updated_at=plan.updated_at,
                              created_at=plan.created_at, author=plan.created_by)


def _plan_version(session, plan: CarePlan, version: int) -> dict:
    stored = plan_history.load_version(session, plan.id, version)
    return care_plan_resource(stored.document, version=stored.version, updated_at=stored.authored_at,
                              created_at=plan.created_at, author=plan.created_by)


def _medications():
    return (select(PlanActivity).join(CarePlan, PlanActivity.plan_id == CarePlan.id)
            .where(PlanActivity.kind == "medication"))


def _medication_status(code: str):
    pairs = [(plan, activity) for plan in PLAN_STATUSES for activity in ACTIVITY_STATUSES
             if medication_request_status(plan, activity) == code]
    return or_(false(), *(and_(CarePlan.status == plan, PlanActivity.status == activity) for plan, activity in pairs))


def _goals():
    return select(PlanGoal).join(CarePlan, PlanGoal.plan_id == CarePlan.id)


blp = fhir_blueprint("careplans", [
    FhirResource("CarePlan", audit_type="care-plan", vread=_plan_version, sources=(FhirSource(
        CarePlan, _plan, updated=CarePlan.updated_at, patient=CarePlan.patient_id, params=(
            SearchParam("status", "token", "draft, active, on-hold, completed or revoked", CarePlan.status),
            SearchParam("date", "date", "When the plan starts", CarePlan.period_start))),)),
    FhirResource("Goal", audit_type="care-plan", patient_of=lambda goal: goal.plan.patient_id, sources=(FhirSource(
        PlanGoal, goal_resource, updated=CarePlan.updated_at, patient=CarePlan.patient_id, base=_goals, params=(
            SearchParam("lifecycle-status", "token", "proposed, active, completed, ...", PlanGoal.lifecycle_status),
            SearchParam("target-date", "date", "When the goal is due", PlanGoal.target_due_date))),)),
    FhirResource("MedicationRequest", audit_type="care-plan", sources=(FhirSource(
        PlanActivity, medication_request_resource, updated=CarePlan.updated_at, patient=PlanActivity.patient_id,
        base=_medications, params=(
            SearchParam("status", "token", "draft, active, on-hold, completed, cancelled or stopped",
                        where=_medication_status),
            SearchParam("authoredon", "date", "When the plan that holds it was written", CarePlan.created_at))),)),
    FhirResource("Task", audit_type="task", sources=(FhirSource(
        Task, task_resource, updated=Task.updated_at, patient=Task.patient_id, params=(
            SearchParam("status", "token", "requested, accepted, in-progress, on-hold, completed, cancelled or "
                                           "failed", Task.status),
            SearchParam("authored-on", "date", "When the task was opened", Task.created_at))),)),
    FhirResource("DetectedIssue", audit_type="medication-alert", sources=(FhirSource(
        MedicationAlert, detected_issue_resource, updated=MedicationAlert.detected_at,
        patient=MedicationAlert.patient_id, params=(
            SearchParam("identified", "date", "When the finding was made", MedicationAlert.detected_at),)),)),
])
