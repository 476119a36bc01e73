"""Keeping the duty rota (who is on call, who supervises, when)."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import RuleViolation

from ..persistence.duty_rota import DutyShift
from ..persistence.recipients import PractitionerRecipient

LONGEST_SHIFT = timedelta(days=31)


def add_shift(session: Session, data: dict, *, by: str) -> DutyShift:
    if data["ends_at"] <= data["starts_at"]:
        raise RuleViolation("A shift ends after it starts.", errors={"ends_at": ["not after starts_at"]})
    if data["ends_at"] - data["starts_at"] > LONGEST_SHIFT:
        raise RuleViolation("A shift lasts at most 31 days.", errors={"ends_at": ["more than 31 days after start"]})
    staff = session.get(PractitionerRecipient, data["practitioner_id"])
    if staff is None or not staff.active:
        raise RuleViolation("Only an active member of the staff directory can be on the rota.",
                            errors={"practitioner_id": ["not an active practitioner"]})
    shift = DutyShift(id=uuid.uuid4(), practitioner_id=data["practitioner_id"], duty=data["duty"],
                      starts_at=data["starts_at"], ends_at=data["ends_at"], created_by=by, created_at=clock.now())
    session.add(shift)
    session.flush()
    return shift


def get_shift(session: Session, shift_id: uuid.UUID) -> DutyShift:
    return get_or_404(session, DutyShift, shift_id, "duty shift")


def shifts(filters: dict):
    query = select(DutyShift).order_by(DutyShift.starts_at, DutyShift.id)
    if filters.get("duty"):
        query = query.where(DutyShift.duty == filters["duty"])
    if filters.get("at"):
        query = query.where(DutyShift.starts_at <= filters["at"], DutyShift.ends_at > filters["at"])
    return query
