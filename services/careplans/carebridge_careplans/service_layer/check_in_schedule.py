"""Turning a plan's check-in activities ("call every 7 days") into tasks on
the coordinator's worklist when each check-in falls due."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..persistence.models import CarePlan, PlanActivity
from .actors import SYSTEM
from .tasks import open_task

BATCH = 200
# How long the coordinator has for a check-in once it is due.
TIME_TO_CHECK_IN = timedelta(days=1)


def open_due_check_ins(session: Session, now: datetime) -> int:
    """Open a check-in task for each check-in activity that is due, and move
    its clock on by its interval. Each activity is claimed with a
    conditional UPDATE on the due time it was read with, so two sweeps never
    open the same check-in twice."""
    due = session.execute(
        select(PlanActivity.id, PlanActivity.next_check_in_at, PlanActivity.detail, PlanActivity.patient_id,
               CarePlan.id.label("plan_id"), CarePlan.care_team_id)
        .join(CarePlan, CarePlan.id == PlanActivity.plan_id)
        .where(PlanActivity.next_check_in_at <= now).order_by(PlanActivity.next_check_in_at).limit(BATCH)).all()
    opened = 0
    for row in due:
        interval = timedelta(days=int(row.detail["interval_days"]))
        claimed = session.execute(
            update(PlanActivity).where(PlanActivity.id == row.id, PlanActivity.next_check_in_at == row.next_check_in_at)
            .values(next_check_in_at=now + interval).execution_options(synchronize_session=False)).rowcount
        if not claimed:
            continue
        task = open_task(session, patient_id=row.patient_id, code="check-in", priority="routine",
                         reason=f"Scheduled check-in with the patient (every {row.detail['interval_days']} days).",
                         due_at=now + TIME_TO_CHECK_IN, actor=SYSTEM, focus_type="activity", focus_id=row.id,
                         plan_id=row.plan_id, care_team_id=row.care_team_id, open_key=f"check-in:activity:{row.id}")
        opened += task is not None
    return opened
