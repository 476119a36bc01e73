"""Minutes of monitoring work by staff, which billing counts per month."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.errors import ConflictError

from ..domain.rules import local_day
from ..persistence.models import Enrolment, TimeEntry
from .actors import Actor


def record_time(session: Session, enrolment: Enrolment | None, data: dict, actor: Actor,
                alert_id: uuid.UUID | None = None) -> TimeEntry:
    if enrolment is None:
        raise ConflictError("The patient has no monitoring enrolment to record time against.")
    if data["performed_at"] > clock.now():
        from carebridge.errors import RuleViolation
        raise RuleViolation("Time cannot be recorded for work not done yet.",
                            errors={"performed_at": ["in the future"]})
    entry = TimeEntry(id=uuid.uuid4(), patient_id=enrolment.patient_id, enrolment_id=enrolment.id, alert_id=alert_id,
                      practitioner_id=actor.practitioner_id, activity=data["activity"], minutes=data["minutes"],
                      performed_at=data["performed_at"], recorded_by=actor.subject, created_at=clock.now())
    session.add(entry)
    session.flush()
    outbox.record(session, "monitoring.time-recorded", {
        "time_entry_id": entry.id, "enrolment_id": enrolment.id, "patient_id": enrolment.patient_id,
        "practitioner_id": entry.practitioner_id, "activity": entry.activity, "minutes": entry.minutes,
        "performed_at": entry.performed_at, "performed_on": local_day(entry.performed_at, enrolment.time_zone)})
    return entry
