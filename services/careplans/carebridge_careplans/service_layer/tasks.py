"""The coordinator worklist: opening, changing and reassigning tasks."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.db import get_or_404
from carebridge.errors import ConflictError, RuleViolation

from ..domain.lifecycles import OPEN_TASK_STATUSES, TASK_TRANSITIONS, check_move
from ..domain.task_owners import may_own, responsible_coordinator
from ..persistence.models import CarePlan, PlanActivity, PlanGoal, Task, TaskHistory
from ..persistence.queries import care_teams
from .actors import Actor
from .care_teams import care_team_for
from .references import check_appointment


def load_task(session: Session, task_id: uuid.UUID) -> Task:
    return get_or_404(session, Task, task_id, "task")


def _history(session: Session, task: Task, actor: Actor, action: str, *, from_owner=None, from_status=None,
             reason: str | None = None) -> None:
    session.add(TaskHistory(task_id=task.id, at=clock.now(), actor=actor.subject, action=action,
                            from_owner_id=from_owner, to_owner_id=task.owner_id, from_status=from_status,
                            to_status=task.status, reason=reason))


def _announce_assignment(session: Session, task: Task, previous_owner: uuid.UUID | None) -> None:
    if task.owner_id is None:
        return  # the unassigned queue has nobody to tell; assignment will announce it
    outbox.record(session, "careplans.task-assigned", {
        "task_id": task.id, "patient_id": task.patient_id, "care_team_id": task.care_team_id,
        "owner_id": task.owner_id, "code": task.code, "priority": task.priority, "due_at": task.due_at,
        "requester_id": task.requester_id, "previous_owner_id": previous_owner,
        "focus_type": task.focus_type, "focus_id": task.focus_id})


def open_task(session: Session, *, patient_id: uuid.UUID, code: str, priority: str, reason: str,
              due_at: datetime | None, actor: Actor, focus_type: str | None = None, focus_id: uuid.UUID | None = None,
              plan_id: uuid.UUID | None = None, care_team_id: uuid.UUID | None = None,
              owner_id: uuid.UUID | None = None, requester_id: uuid.UUID | None = None,
              note: str | None = None, open_key: str | None = None) -> Task | None:
    """Open a task. Without an owner it goes to the team's lead coordinator
    (see domain/task_owners.py). With an `open_key`, returns None when a task
    with that key is still open (the key's unique constraint settles races)."""
    if open_key and session.scalar(select(Task.id).where(Task.open_key == open_key)):
        return None
    if owner_id is None:
        owner_id, care_team_id = responsible_coordinator(care_teams(session, patient_id), care_team_id)
    now = clock.now()
    task = Task(id=uuid.uuid4(), patient_id=patient_id, care_team_id=care_team_id, owner_id=owner_id,
                requester_id=requester_id, code=code, priority=priority, status="requested", reason=reason,
                note=note, focus_type=focus_type, focus_id=focus_id, plan_id=plan_id, due_at=due_at,
                created_at=now, updated_at=now, open_key=open_key)
    session.add(task)
    session.flush()
    _history(session, task, actor, "created", reason=reason)
    _announce_assignment(session, task, None)
    return task


def check_owner(session: Session, patient_id: uuid.UUID, owner_id: uuid.UUID, field: str) -> None:
    """Only someone on the patient's care team may own the patient's task, so
    that an owner can always open the patient's record."""
    if not may_own(care_teams(session, patient_id), owner_id):
        raise RuleViolation("The owner must be an active member of the patient's care team.",
                            errors={field: ["not an active member of the patient's care team"]})


def _check_references(session: Session, data: dict) -> None:
    """A task's plan, and a plan, activity or goal it is about, must be the
    patient's own."""
    patient_id = data["patient_id"]
    references = [("plan_id", CarePlan, data.get("plan_id"))]
    focus_model = {"plan": CarePlan, "activity": PlanActivity, "goal": PlanGoal}.get(data.get("focus_type"))
    if focus_model is not None:
        references.append(("focus_id", focus_model, data["focus_id"]))
    if data.get("focus_type") == "appointment":
        check_appointment(session, data["focus_id"], patient_id, "focus_id")
    for field, model, item_id in references:
        item = session.get(model, item_id) if item_id else None
        owner = None if item is None else (item.plan.patient_id if model is PlanGoal else item.patient_id)
        if item_id and owner != patient_id:
            raise RuleViolation("The task refers to something that is not this patient's.",
                                errors={field: ["not found for this patient"]})


def create_task(session: Session, data: dict, actor: Actor) -> Task:
    _check_references(session, data)
    if data.get("owner_id") is not None:
        check_owner(session, data["patient_id"], data["owner_id"], "owner_id")
    data = {**data, "care_team_id": care_team_for(session, data["patient_id"], data.get("care_team_id"))}
    return open_task(session, patient_id=data["patient_id"], code=data["code"], priority=data["priority"],
                     reason=data["reason"], due_at=data.get("due_at"), actor=actor,
                     focus_type=data.get("focus_type"), focus_id=data.get("focus_id"), plan_id=data.get("plan_id"),
                     care_team_id=data.get("care_team_id"), owner_id=data.get("owner_id"),
                     requester_id=actor.practitioner_id, note=data.get("note"))


def _require_open(task: Task) -> None:
    if task.status not in OPEN_TASK_STATUSES:
        raise ConflictError(f"The task is {task.status}; it can no longer change.", current_status=task.status)


def update_task(session: Session, task: Task, data: dict, actor: Actor) -> Task:
    _require_open(task)
    previous_status = task.status
    if "status" in data:
        check_move(TASK_TRANSITIONS, task.status, data["status"])
        task.status = data["status"]
        if task.status not in OPEN_TASK_STATUSES:
            task.open_key = None
    for name in ("status_reason", "priority", "due_at", "note"):
        if name in data:
            setattr(task, name, data[name])
    task.updated_at = clock.now()
    session.flush()
    if task.status != previous_status:
        _history(session, task, actor, "status-changed", from_owner=task.owner_id, from_status=previous_status,
                 reason=data.get("status_reason"))
    else:
        _history(session, task, actor, "updated", from_owner=task.owner_id, from_status=previous_status)
    return task


def close_task(session: Session, task: Task, actor: Actor, reason: str) -> None:
    """Complete an open task as part of other work (a check-in recorded for it)."""
    if task.status in OPEN_TASK_STATUSES:
        update_task(session, task, {"status": "completed", "status_reason": reason}, actor)


def assign_task(session: Session, task: Task, owner_id: uuid.UUID | None, reason: str, actor: Actor) -> Task:
    """Give the task to another owner (None: back to the unassigned queue),
    recording why, and tell the new owner."""
    _require_open(task)
    if owner_id == task.owner_id:
        raise ConflictError("The task already belongs to that owner.")
    previous = task.owner_id
    task.owner_id = owner_id
    task.updated_at = clock.now()
    session.flush()
    _history(session, task, actor, "reassigned", from_owner=previous, from_status=task.status, reason=reason)
    _announce_assignment(session, task, previous)
    return task


def history_of(session: Session, task: Task) -> list[TaskHistory]:
    return list(session.scalars(select(TaskHistory).where(TaskHistory.task_id == task.id)
                                .order_by(TaskHistory.id)))
