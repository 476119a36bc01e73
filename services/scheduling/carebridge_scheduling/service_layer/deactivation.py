"""A patient who is no longer active (inactive, deceased) keeps no future
visits, waits on no waitlist and has nothing left to book."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock

from ..domain.statuses import BOOKED, CANCELLED, PENDING, PROPOSED
from ..persistence.models import Appointment
from . import booking_requests, waitlist
from .waitlist_offers import SYSTEM
from .transitions import change_status

log = logging.getLogger(__name__)

REASON = "patient-deactivated"


def retire_patient(session: Session, patient_id: uuid.UUID) -> int:
    """Cancel the patient's future appointments (each announced), withdraw
    their waitlist entries and booking requests; returns how many visits
    were cancelled. Running it again changes nothing. Requests and entries
    are withdrawn last: cancelling a visit puts its request back on the list
    and a hold's entry back in line."""
    future = session.scalars(
        select(Appointment).where(Appointment.patient_id == patient_id,
                                  Appointment.status.in_((PROPOSED, PENDING, BOOKED)),
                                  Appointment.start_at > clock.now())
        .order_by(Appointment.start_at).with_for_update()).all()
    for appointment in future:
        change_status(session, appointment, CANCELLED, by=SYSTEM, reason_code=REASON)
    waitlist.withdraw_for_patient(session, patient_id)
    booking_requests.withdraw_for_patient(session, patient_id)
    if future:
        log.info("cancelled the future appointments of a deactivated patient",
                 extra={"patient_id": str(patient_id), "count": len(future)})
    return len(future)
