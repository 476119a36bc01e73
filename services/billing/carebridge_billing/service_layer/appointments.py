"""The last state billing heard for each appointment."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from carebridge import clock

from ..persistence.prior_auths import AppointmentState


def last_state(session: Session, appointment_id: uuid.UUID) -> str | None:
    row = session.get(AppointmentState, appointment_id)
    return row.status if row else None


def note_appointment_state(session: Session, appointment_id: uuid.UUID, status: str) -> str | None:
    """Record the appointment's new state; returns the one held before (None if new)."""
    row = session.get(AppointmentState, appointment_id, with_for_update=True)
    previous = row.status if row else None
    if row is None:
        session.add(AppointmentState(appointment_id=appointment_id, status=status, updated_at=clock.now()))
    else:
        row.status, row.updated_at = status, clock.now()
    session.flush()
    return previous
