"""Announcing overdue tasks, exactly once per task, however many workers
run the sweep at the same time."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from carebridge import outbox

from ..domain.lifecycles import OPEN_TASK_STATUSES
from ..persistence.models import Task

BATCH = 200


def _overdue(now: datetime):
    return (Task.status.in_(OPEN_TASK_STATUSES), Task.due_at < now, Task.overdue_notified_at.is_(None),
            # An unassigned task is announced once it has an owner to tell.
            Task.owner_id.is_not(None))


def announce_overdue_tasks(session: Session, now: datetime) -> int:
    """Publish careplans.task-overdue for each task that just became overdue.
    Each task is claimed by a conditional UPDATE: a second sweep running at
    the same moment waits for the row and then finds it already claimed."""
    announced = 0
    for task_id in session.scalars(select(Task.id).where(*_overdue(now)).order_by(Task.due_at).limit(BATCH)).all():
        claimed = session.execute(update(Task).where(Task.id == task_id, *_overdue(now))
                                  .values(overdue_notified_at=now)
                                  .execution_options(synchronize_session=False)).rowcount
        if not claimed:
            continue
        task = session.execute(select(Task.patient_id, Task.care_team_id, Task.owner_id, Task.code, Task.priority,
                                      Task.due_at).where(Task.id == task_id)).one()
        outbox.record(session, "careplans.task-overdue", {
            "task_id": task_id, "patient_id": task.patient_id, "care_team_id": task.care_team_id,
            "owner_id": task.owner_id, "code": task.code, "priority": task.priority, "due_at": task.due_at})
        announced += 1
    return announced
