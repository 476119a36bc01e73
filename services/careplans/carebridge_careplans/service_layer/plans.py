"""Creating, revising and closing care plans."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import ConflictError, RuleViolation

from ..domain.lifecycles import OPEN_ACTIVITY_STATUSES, PLAN_TRANSITIONS, check_move, closing_status_of_activity
from ..persistence.documents import plan_document
from ..persistence.models import CarePlan
from ..persistence.queries import care_teams
from .actors import Actor
from .care_teams import care_team_for
from .medication_review import keep_findings, prescribers_of, review
from .plan_changes import RecordedChange, record_change
from .plan_editing import apply_details, upsert_activities, upsert_goals

CLOSED_PLAN_STATUSES = ("completed", "revoked")


def load_plan(session: Session, plan_id: uuid.UUID) -> CarePlan:
    return get_or_404(session, CarePlan, plan_id, "care plan")


def _override(data: dict) -> str | None:
    return (data.get("medication_override") or {}).get("reason")


def _apply_content(session: Session, plan: CarePlan, data: dict, *, plan_exists: bool):
    upsert_goals(plan, data.get("goals") or [])
    prescribed_before = prescribers_of(list(plan.activities)) if plan_exists else {}
    candidates = upsert_activities(plan, data.get("activities") or [])
    _check_new_prescribers(session, plan.patient_id, candidates, prescribed_before)
    return candidates, review(session, plan, [a for a in candidates if a.status in OPEN_ACTIVITY_STATUSES],
                              override_reason=_override(data), plan_exists=plan_exists)


def _check_new_prescribers(session: Session, patient_id: uuid.UUID, candidates, prescribed_before: dict) -> None:
    """A prescriber named on a medication (who is then told of its safety
    findings) must be on one of the patient's care teams now; one named
    before and kept is not checked again."""
    on_teams = {member.practitioner_id for team in care_teams(session, patient_id) for member in team.members}
    for activity_id, prescriber in prescribers_of(candidates).items():
        if prescriber is not None and prescriber != prescribed_before.get(activity_id) and prescriber not in on_teams:
            raise RuleViolation("The prescriber is not on the patient's care team.",
                                errors={"activities": ["prescriber_id: not a member of the patient's care team"]})


def create_plan(session: Session, data: dict, actor: Actor, *, reason: str,
                template: tuple[str, str] | None = None) -> tuple[CarePlan, RecordedChange]:
    now = clock.now()
    with session.no_autoflush:
        plan = CarePlan(
            id=uuid.uuid4(), patient_id=data["patient_id"],
            care_team_id=care_team_for(session, data["patient_id"], data.get("care_team_id")),
            status=data.get("status", "draft"), title=data["title"], description=data.get("description"),
            conditions=[], period_start=data["period"]["start"], warning_signs=[], contacts=[],
            template_code=template[0] if template else None, template_version=template[1] if template else None,
            created_at=now, created_by=actor.subject, updated_at=now)
        apply_details(plan, {k: v for k, v in data.items() if k != "care_team_id"})
        session.add(plan)
        candidates, findings = _apply_content(session, plan, data, plan_exists=False)
        recorded = record_change(session, plan, None, actor, reason)
        keep_findings(session, plan, recorded.version, findings, actor, prescribers=prescribers_of(candidates),
                      override_reason=_override(data))
    return plan, recorded


def _refuse_if_closed(plan: CarePlan) -> None:
    if plan.status in CLOSED_PLAN_STATUSES:
        raise ConflictError(f"The plan is {plan.status}; start a new plan instead of changing it.",
                            current_status=plan.status)


def revise_plan(session: Session, plan: CarePlan, data: dict, actor: Actor) -> RecordedChange | None:
    """Apply a revision; None when it changed nothing (no new version)."""
    _refuse_if_closed(plan)
    with session.no_autoflush:
        before = plan_document(plan)
        if "care_team_id" in data:
            data = {**data, "care_team_id": care_team_for(session, plan.patient_id, data["care_team_id"])}
        apply_details(plan, data)
        candidates, findings = _apply_content(session, plan, data, plan_exists=True)
        recorded = record_change(session, plan, before, actor, data["reason"])
        if recorded is not None:
            keep_findings(session, plan, recorded.version, findings, actor,
                          prescribers=prescribers_of(candidates), override_reason=_override(data))
    return recorded


def change_plan_status(session: Session, plan: CarePlan, status: str, reason: str,
                       actor: Actor) -> RecordedChange | None:
    """Move the plan along its lifecycle; ending it (completed, revoked)
    cancels what never started and stops what is under way."""
    check_move(PLAN_TRANSITIONS, plan.status, status)
    with session.no_autoflush:
        before = plan_document(plan)
        plan.status = status
        if status in CLOSED_PLAN_STATUSES:
            for activity in plan.activities:
                closing = closing_status_of_activity(activity.status)
                if closing:
                    activity.status, activity.status_reason = closing, f"plan-{status}"
        return record_change(session, plan, before, actor, reason)
