"""Moving an appointment through its lifecycle, and telling the other
services what they need to hear about it."""
from __future__ import annotations

from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.errors import ConflictError, RuleViolation
from carebridge.service import Runtime

from ..domain.statuses import (ANNOUNCED, ARRIVED, BOOKED, CANCELLED, CHECKED_IN, ENTERED_IN_ERROR, FULFILLED,
                               NOSHOW, OCCUPYING, PROPOSED, check_transition)
from ..persistence.appointment_queries import OverlapRefused, overlap_guarded
from ..persistence.models import Appointment
from . import booking_requests, waitlist_offers
from .announcements import announce_booked, appointment_facts

# Reason sent to other services when an announced appointment is voided
# (entered-in-error) without a reason; its status says it was an error.
VOIDED_REASON = "other"


def change_status(session: Session, appointment: Appointment, target: str, *, by: str,
                  reason_code: str | None = None) -> Appointment:
    current = appointment.status
    check_transition(current, target)
    now = clock.now()
    if target == CANCELLED and not reason_code:
        raise RuleViolation("Say why the appointment is cancelled.", errors={"reason_code": ["required to cancel"]})
    if target == NOSHOW and now < appointment.start_at:
        raise RuleViolation("An appointment that has not started yet cannot be missed.")
    frees_future_time = current in OCCUPYING and target not in OCCUPYING and appointment.start_at > now
    try:
        with overlap_guarded(session):
            _stamp(appointment, target, now, by, reason_code)
    except OverlapRefused as refused:
        # Only a corrected no-show re-takes time; someone may have it now.
        if refused.patient:
            raise ConflictError("The patient has another appointment at this time now.") from None
        raise ConflictError("The practitioner's time for this appointment has been given to another booking.") \
            from None
    _announce(session, appointment, current, target, now, by, reason_code)
    if appointment.waitlist_entry_id is not None and current == PROPOSED:
        waitlist_offers.hold_resolved(session, appointment)
    if target in (CANCELLED, ENTERED_IN_ERROR):
        booking_requests.reopen_for(session, appointment)
    if frees_future_time:
        waitlist_offers.offer_freed_slot(session, appointment.practitioner_id, appointment.start_at)
    return appointment


def _stamp(appointment: Appointment, target: str, now, by: str, reason_code: str | None) -> None:
    appointment.status = target
    appointment.updated_at = now
    if target == BOOKED:
        appointment.booked_by = by
        appointment.hold_expires_at = None
    elif target == ARRIVED:
        appointment.arrived_at = now
    elif target == CHECKED_IN:
        appointment.checked_in_at = now
    elif target == FULFILLED:
        appointment.completed_at = now
    elif target == NOSHOW:
        appointment.noshow_at = now
    elif target in (CANCELLED, ENTERED_IN_ERROR):
        appointment.cancelled_at, appointment.cancelled_by = now, by
        appointment.cancel_reason_code = reason_code or appointment.cancel_reason_code


def _announce(session, appointment, current, target, now, by, reason_code) -> None:
    if current == NOSHOW and target != ENTERED_IN_ERROR:
        outbox.record(session, "scheduling.appointment-noshow-corrected",
                      appointment_facts(appointment, corrected_by=by))
    if target == BOOKED:
        announce_booked(session, appointment, by)
    elif target == CHECKED_IN:
        outbox.record(session, "scheduling.appointment-checked-in", appointment_facts(appointment, checked_in_at=now))
    elif target == FULFILLED:
        outbox.record(session, "scheduling.appointment-completed", appointment_facts(appointment, completed_at=now))
    elif target == NOSHOW:
        grace = Runtime.of(session).service_settings.noshow_grace_minutes
        outbox.record(session, "scheduling.appointment-missed",
                      appointment_facts(appointment, detected_at=now, grace_minutes=grace))
    elif target in (CANCELLED, ENTERED_IN_ERROR) and current in ANNOUNCED:
        outbox.record(session, "scheduling.appointment-cancelled", appointment_facts(
            appointment, cancelled_by=by, reason_code=reason_code or VOIDED_REASON))
