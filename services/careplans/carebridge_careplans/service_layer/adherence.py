"""Recording doses and reading adherence."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import ConflictError, RuleViolation
from carebridge.service import Runtime

from ..domain.adherence import adherence_rate, needs_review
from ..persistence.models import CarePlan, DoseRecord, PlanActivity
from .actors import SYSTEM, Actor
from .tasks import open_task


def medication_activity(session: Session, activity_id: uuid.UUID) -> PlanActivity:
    activity = get_or_404(session, PlanActivity, activity_id, "plan activity")
    if activity.kind != "medication":
        raise RuleViolation("Doses are recorded for medication activities only.",
                            errors={"activity_id": ["not a medication activity"]})
    return activity


def _missed_recently(session: Session, activity_id: uuid.UUID, since) -> int:
    return session.scalar(select(func.count()).select_from(DoseRecord).where(
        DoseRecord.activity_id == activity_id, DoseRecord.outcome == "missed", DoseRecord.scheduled_for >= since))


def record_dose(session: Session, activity: PlanActivity, data: dict, actor: Actor):
    """Record one dose; a missed dose that takes the count over the
    threshold opens an adherence review for the team's lead coordinator.
    Returns the record and the task it opened, if any."""
    if session.scalar(select(DoseRecord.id).where(DoseRecord.activity_id == activity.id,
                                                  DoseRecord.scheduled_for == data["scheduled_for"])):
        raise ConflictError("This dose was already recorded.")
    if data["outcome"] != "taken" and data.get("taken_at") is not None:
        raise RuleViolation("Only a taken dose has a time it was taken.",
                            errors={"taken_at": ["only for a taken dose"]})
    record = DoseRecord(id=uuid.uuid4(), patient_id=activity.patient_id, plan_id=activity.plan_id,
                        activity_id=activity.id, outcome=data["outcome"], scheduled_for=data["scheduled_for"],
                        taken_at=data.get("taken_at"), reported_by=data["reported_by"], note=data.get("note"),
                        recorded_at=clock.now(), recorded_by=actor.subject)
    session.add(record)
    session.flush()
    task = None
    settings = Runtime.of(session).service_settings
    since = clock.now() - settings.adherence_window
    if data["outcome"] == "missed" and needs_review(_missed_recently(session, activity.id, since),
                                                    settings.missed_dose_threshold):
        name = activity.detail.get("name", "a medication")
        try:
            with session.begin_nested():
                task = open_task(
                    session, patient_id=activity.patient_id, code="adherence-review", priority="urgent",
                    reason=f"{settings.missed_dose_threshold} or more missed doses of {name} in "
                           f"{settings.adherence_window_days} days: find out why and help.",
                    due_at=clock.now() + settings.adherence_review_due, actor=SYSTEM,
                    focus_type="activity", focus_id=activity.id, plan_id=activity.plan_id,
                    care_team_id=session.get(CarePlan, activity.plan_id).care_team_id,
                    open_key=f"adherence-review:activity:{activity.id}")
        except IntegrityError:
            task = None  # another report opened the review at the same moment
    return record, task


def summary(session: Session, patient_id: uuid.UUID, days: int) -> dict:
    """Per medication activity: doses taken, missed and skipped in the last
    `days` days, and the share taken."""
    since = clock.now() - timedelta(days=days)
    counts: dict[uuid.UUID, dict[str, int]] = {}
    for activity_id, outcome, count in session.execute(
            select(DoseRecord.activity_id, DoseRecord.outcome, func.count())
            .where(DoseRecord.patient_id == patient_id, DoseRecord.scheduled_for >= since)
            .group_by(DoseRecord.activity_id, DoseRecord.outcome)):
        counts.setdefault(activity_id, {})[outcome] = count
    activities = {a.id: a for a in session.scalars(select(PlanActivity).where(PlanActivity.id.in_(counts)))}
    medications = []
    for activity_id, by_outcome in counts.items():
        taken, missed = by_outcome.get("taken", 0), by_outcome.get("missed", 0)
        activity = activities[activity_id]
        medications.append({
            "activity_id": activity_id, "plan_id": activity.plan_id, "name": activity.detail.get("name"),
            "taken": taken, "missed": missed, "skipped": by_outcome.get("skipped", 0),
            "adherence_percent": adherence_rate(taken, missed)})
    medications.sort(key=lambda m: (m["name"] or "", str(m["activity_id"])))
    return {"patient_id": patient_id, "days": days, "since": since, "medications": medications}
