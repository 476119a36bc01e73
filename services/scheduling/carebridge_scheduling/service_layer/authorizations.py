"""Billing's word on the prior authorizations booked visits depend on: a
visit whose authorization was denied, expired, or expires before it is
flagged on the appointment (staff see it) and announced, so the patient is
told the visit is affected. Visits no longer booked, or already over, are
left alone."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock, outbox

from ..persistence.models import Appointment
from .announcements import appointment_facts

log = logging.getLogger(__name__)

# A visit's flag only moves to a graver word: "expiring" never hides "denied".
_GRAVITY = {None: 0, "expiring": 1, "expired": 2, "denied": 2}
_STILL_BOOKED = ("booked", "pending")


def flag_visits(session: Session, *, patient_id: uuid.UUID, prior_auth_id: uuid.UUID,
                appointment_ids: list[uuid.UUID], issue: str) -> int:
    """Flag each still-booked future visit of the patient once per issue and
    announce it. Returns how many visits were flagged."""
    if not appointment_ids:
        return 0
    now = clock.now()
    flagged = 0
    for appointment in session.scalars(select(Appointment).where(Appointment.id.in_(appointment_ids))
                                       .order_by(Appointment.start_at).with_for_update()):
        if appointment.patient_id != patient_id:
            log.warning("billing named a visit of another patient; ignored",
                        extra={"appointment_id": str(appointment.id), "resource_id": str(prior_auth_id)})
            continue
        if appointment.status not in _STILL_BOOKED or appointment.start_at <= now:
            continue
        if appointment.authorization_issue == issue or \
                _GRAVITY[appointment.authorization_issue] > _GRAVITY[issue]:
            continue
        appointment.authorization_issue, appointment.authorization_issue_at = issue, now
        appointment.updated_at = now
        session.flush()
        outbox.record(session, "scheduling.appointment-authorization-at-risk", appointment_facts(
            appointment, issue=issue, prior_auth_id=prior_auth_id))
        flagged += 1
    return flagged
