"""Ids of other services' records a check-in or task may name: only those
of its own patient.

Appointments are known from scheduling's appointment events (booked,
cancelled, completed, missed), each remembered with its patient; an
appointment not known here (another patient's, made up, or one whose event
has not arrived yet) is refused with a 422 that says so.
"""
from __future__ import annotations

import uuid

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from carebridge.errors import RuleViolation

from ..persistence.models import KnownAppointment


def remember_appointment(session: Session, appointment_id: uuid.UUID, patient_id: uuid.UUID) -> None:
    """A visit never changes patient: the first event about it is enough."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(KnownAppointment.__table__)
                    .values(appointment_id=appointment_id, patient_id=patient_id).on_conflict_do_nothing())


def check_appointment(session: Session, appointment_id: uuid.UUID | None, patient_id: uuid.UUID,
                      field: str) -> None:
    if appointment_id is None:
        return
    known = session.get(KnownAppointment, appointment_id)
    if known is None or known.patient_id != patient_id:
        raise RuleViolation("The appointment is not one of this patient's visits known to care plans "
                            "(if it was booked a moment ago, try again shortly).",
                            errors={field: ["not an appointment of this patient"]})
