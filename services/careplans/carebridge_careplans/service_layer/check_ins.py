"""Recording a coordinator's check-in: how the patient is doing, barriers,
and progress on the plan's goals (which moves the goals' achievement status
in a new plan version)."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import ConflictError, RuleViolation
from carebridge.service import Runtime

from ..domain.lifecycles import OPEN_ACTIVITY_STATUSES, OPEN_TASK_STATUSES
from ..domain.task_owners import team_nurse
from ..persistence.queries import care_teams
from ..persistence.documents import plan_document
from ..persistence.models import CarePlan, CheckIn, Task
from .actors import Actor
from . import references
from .plan_changes import record_change
from .tasks import close_task, open_task


def load_check_in(session: Session, check_in_id: uuid.UUID) -> CheckIn:
    return get_or_404(session, CheckIn, check_in_id, "check-in")


def _owned_by_patient(session: Session, model, item_id, patient_id, field: str):
    if item_id is None:
        return None
    item = session.get(model, item_id)
    if item is None or item.patient_id != patient_id:
        raise RuleViolation(f"The {field.removesuffix('_id')} is not this patient's.",
                            errors={field: ["not found for this patient"]})
    return item


def _apply_goal_progress(session: Session, plan: CarePlan | None, progress: list[dict], actor: Actor) -> None:
    if not progress:
        return
    if plan is None:
        raise RuleViolation("Goal progress needs the plan the goals belong to.",
                            errors={"plan_id": ["required with goal_progress"]})
    if plan.status not in ("active", "on-hold"):
        raise ConflictError(f"The plan is {plan.status}; its goals no longer change.", current_status=plan.status)
    goals = {goal.id: goal for goal in plan.goals}
    with session.no_autoflush:
        before = plan_document(plan)
        for index, entry in enumerate(progress):
            goal = goals.get(entry["goal_id"])
            if goal is None:
                raise RuleViolation("A goal is not part of this plan.",
                                    errors={f"goal_progress.{index}.goal_id": ["no such goal in this plan"]})
            goal.achievement_status = entry["achievement_status"]
        record_change(session, plan, before, actor, "Goal progress recorded at a check-in")


def _restart_check_in_clock(plan: CarePlan | None) -> None:
    """A check-in done is the next one's starting point."""
    if plan is None or plan.status != "active":
        return
    for activity in plan.activities:
        if activity.kind == "check-in" and activity.status in OPEN_ACTIVITY_STATUSES:
            activity.next_check_in_at = clock.now() + timedelta(days=int(activity.detail["interval_days"]))


def _close_answered_tasks(session: Session, plan: CarePlan | None, task: Task | None, actor: Actor) -> None:
    answered = [task] if task is not None else []
    if plan is not None:
        check_in_activities = [a.id for a in plan.activities if a.kind == "check-in"]
        answered += session.scalars(select(Task).where(
            Task.code == "check-in", Task.focus_type == "activity", Task.focus_id.in_(check_in_activities),
            Task.status.in_(OPEN_TASK_STATUSES))).all()
    for open_task in answered:
        close_task(session, open_task, actor, "Check-in recorded")


def record_check_in(session: Session, data: dict, actor: Actor) -> CheckIn:
    patient_id = data["patient_id"]
    plan = _owned_by_patient(session, CarePlan, data.get("plan_id"), patient_id, "plan_id")
    task = _owned_by_patient(session, Task, data.get("task_id"), patient_id, "task_id")
    references.check_appointment(session, data.get("appointment_id"), patient_id, "appointment_id")
    progress = [{"goal_id": entry["goal_id"], "achievement_status": entry["achievement_status"],
                 "note": entry.get("note")} for entry in data.get("goal_progress") or []]
    _apply_goal_progress(session, plan, progress, actor)
    check_in = CheckIn(
        id=uuid.uuid4(), patient_id=patient_id, plan_id=plan.id if plan else None, task_id=task.id if task else None,
        appointment_id=data.get("appointment_id"), context=data["context"], contact_method=data["contact_method"],
        reached=data["reached"], overall=data.get("overall"), summary=data.get("summary"),
        barriers=list(data.get("barriers") or []), goal_progress=[{**p, "goal_id": str(p["goal_id"])} for p in progress],
        note=data.get("note"), recorded_at=clock.now(), recorded_by=actor.subject)
    session.add(check_in)
    if data["reached"]:
        _restart_check_in_clock(plan)
        _close_answered_tasks(session, plan, task, actor)
    session.flush()
    open_nurse_review_if_worse(session, check_in, actor, care_team_id=plan.care_team_id if plan else None)
    return check_in


WORSE = "worsening"


def open_nurse_review_if_worse(session: Session, check_in: CheckIn, actor: Actor, *,
                               care_team_id: uuid.UUID | None = None) -> Task | None:
    """A patient who is worse gets a clinician's attention: an urgent task
    for the team's nurse (see domain/task_owners.team_nurse), due within
    WORSE_CHECK_IN_DUE_HOURS. Every source of a check-in calls this after
    saving it; while the nurse's review of this patient is open, a further
    "worse" check-in adds no second task."""
    if check_in.overall != WORSE:
        return None
    owner_id, team_id = team_nurse(care_teams(session, check_in.patient_id), care_team_id)
    settings = Runtime.of(session).service_settings
    return open_task(
        session, patient_id=check_in.patient_id, code="general", priority="urgent",
        reason=f"The patient reported getting worse at a check-in on {check_in.recorded_at:%Y-%m-%d}: "
               f"call them and assess.",
        due_at=check_in.recorded_at + settings.worse_check_in_due, actor=actor,
        plan_id=check_in.plan_id, care_team_id=team_id, owner_id=owner_id,
        requester_id=actor.practitioner_id, open_key=f"worse-check-in:patient:{check_in.patient_id}")
