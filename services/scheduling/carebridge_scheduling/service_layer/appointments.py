"""Reading appointments and moving them to another time."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.db import among_patients, get_or_404, where_equal
from carebridge.errors import ConflictError

from .appointment_types import catalogue
from ..domain.slot_rules import PATIENT_BUSY, PRACTITIONER_BUSY, SlotRefused
from ..domain.statuses import BOOKED, RESCHEDULABLE
from ..persistence.appointment_queries import OverlapRefused, overlap_guarded
from ..persistence.models import Appointment
from . import waitlist_offers
from .announcements import appointment_facts
from .placement import Placement, refusal_error


def get(session: Session, appointment_id: uuid.UUID) -> Appointment:
    return get_or_404(session, Appointment, appointment_id, "appointment")


def search(filters: dict, visible_patients=None):
    """A SELECT of appointments matching the filters, soonest first."""
    query = where_equal(select(Appointment).order_by(Appointment.start_at, Appointment.id), Appointment, filters,
                        ("patient_id", "practitioner_id", "location_id", "series_id", "status",
                         "appointment_type_code", "plan_activity_id"))
    if filters.get("start_from") is not None:
        query = query.where(Appointment.start_at >= filters["start_from"])
    if filters.get("start_before") is not None:
        query = query.where(Appointment.start_at < filters["start_before"])
    return among_patients(query, Appointment.patient_id, visible_patients)


def reschedule(session: Session, appointment: Appointment, data: dict, *, by: str) -> Appointment:
    """Move a visit to another time (and perhaps practitioner or location);
    it keeps its id. The time it leaves is offered to the waitlist."""
    if appointment.status not in RESCHEDULABLE:
        raise ConflictError(f"A {appointment.status} appointment cannot be rescheduled.",
                            allowed_from=sorted(RESCHEDULABLE))
    appointment_type = catalogue(session).get(appointment.appointment_type_code)
    start = clock.utc(data["start"])
    practitioner_id = data.get("practitioner_id") or appointment.practitioner_id
    placement = Placement(session, practitioner_id, start, start + appointment_type.duration)
    try:
        window = placement.check(appointment_type, start, patient_id=appointment.patient_id,
                                 location_id=data.get("location_id"), moving=appointment.id,
                                 off_grid=data.get("off_grid", False))
    except SlotRefused as refused:
        raise refusal_error(refused) from None
    previous = {"previous_start": appointment.start_at, "previous_end": appointment.end_at,
                "previous_practitioner_id": appointment.practitioner_id}
    setting = placement.location_settings[window.location_id]
    if setting != appointment.setting and (setting == "home-telehealth" or appointment.setting == "home-telehealth"):
        raise ConflictError("A visit cannot move between telehealth and in person; cancel it and book anew.")
    now = clock.now()
    end = start + appointment_type.duration
    try:
        with overlap_guarded(session):
            appointment.practitioner_id, appointment.location_id, appointment.setting = (
                practitioner_id, window.location_id, setting)
            appointment.start_at, appointment.end_at = start, end
            appointment.blocked_until = end + placement.buffer
            appointment.start_set_at = appointment.updated_at = now
    except OverlapRefused as refused:
        raise refusal_error(SlotRefused(PATIENT_BUSY if refused.patient else PRACTITIONER_BUSY)) from None
    if appointment.status == BOOKED:
        outbox.record(session, "scheduling.appointment-rescheduled", appointment_facts(appointment, **previous))
    if previous["previous_start"] > now:
        waitlist_offers.offer_freed_slot(session, previous["previous_practitioner_id"], previous["previous_start"])
    return appointment
