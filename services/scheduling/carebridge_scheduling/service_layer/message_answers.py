"""Answers patients and family give on the notifications service's secure
message page, as far as they change a booking."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock

from ..domain.statuses import BOOKED, CANCELLED, PENDING, PROPOSED
from ..persistence.models import Appointment
from .transitions import change_status

log = logging.getLogger(__name__)

PATIENT_REQUEST = "patient-request"


def cancel_on_request(session: Session, data: dict) -> Appointment | None:
    """Cancel the visit the answer is about if it is still ahead and not yet
    cancelled; returns it, or None when there was nothing to do."""
    appointment = session.scalar(select(Appointment).where(Appointment.id == data["appointment_id"])
                                 .with_for_update())
    if appointment is None or appointment.patient_id != data["patient_id"] or \
            appointment.status not in (PROPOSED, PENDING, BOOKED) or appointment.start_at <= clock.now():
        log.info("a cancellation from the message page needs no change",
                 extra={"appointment_id": str(data["appointment_id"]),
                        "status": appointment.status if appointment is not None else None})
        return None
    return change_status(session, appointment, CANCELLED, by=f"{data['recipient_type']}:{data['recipient_id']}",
                         reason_code=PATIENT_REQUEST)
