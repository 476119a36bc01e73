"""Putting a visit into a practitioner's time: the checks every way of
booking shares (single booking, recurring course, waitlist offer, moving a
visit), and the insert that the database refuses if it double-books."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.errors import CareBridgeError, ConflictError, RuleViolation

from ..domain import telehealth
from ..domain.appointment_types import AppointmentType, UnknownAppointmentType
from ..domain.availability import Window
from ..domain.slot_rules import (CLASHES, OFF_GRID, PATIENT_BUSY, PRACTITIONER_BUSY, SlotRefused, fitting_window,
                                 on_grid)
from ..persistence import appointment_queries, schedule_queries
from . import slot_search_cache
from . import appointment_types
from ..persistence.appointment_queries import OverlapRefused
from ..persistence.models import Appointment

_MARGIN = timedelta(days=1)


def bookable_type(session: Session, code: str, field: str = "appointment_type_code") -> AppointmentType:
    try:
        found = appointment_types.one(session, code)
        if not found.active:
            raise UnknownAppointmentType(code)
        return found
    except UnknownAppointmentType:
        raise RuleViolation("Unknown or retired appointment type.", errors={field: ["unknown appointment type"]}) from None


def refusal_error(refused: SlotRefused) -> CareBridgeError:
    """409 for a clash with another booking, 422 for a time no booking could have."""
    error_class = ConflictError if refused.reason in CLASHES else RuleViolation
    return error_class(refused.detail, reason=refused.reason)


class Placement:
    """One practitioner's schedule over a stretch of time, loaded once, to
    check and place visits in it."""

    def __init__(self, session: Session, practitioner_id: uuid.UUID, start: datetime, end: datetime):
        self.session = session
        self.practitioner_id = practitioner_id
        self.schedule = slot_search_cache.weekly_schedule(session, practitioner_id, start - _MARGIN, end + _MARGIN)
        self.location_settings = schedule_queries.location_settings(session)

    @property
    def buffer(self) -> timedelta:
        return self.schedule.buffer if self.schedule else timedelta(0)

    def check(self, appointment_type: AppointmentType, start: datetime, *, patient_id: uuid.UUID,
              location_id: uuid.UUID | None = None, moving: uuid.UUID | None = None,
              off_grid: bool = True) -> Window:
        """The window the visit fits in, or SlotRefused. `moving` is the
        appointment being rescheduled (it does not clash with itself);
        `off_grid=False` refuses a start off the schedule's slot grid."""
        window = fitting_window(self.schedule, self.location_settings, appointment_type, start, clock.now(),
                                location_id)
        if not off_grid and not on_grid(window, start, self.schedule.slot_interval):
            raise SlotRefused(OFF_GRID)
        end = start + appointment_type.duration
        if appointment_queries.practitioner_is_busy(self.session, self.practitioner_id, start, end + self.buffer,
                                                    moving):
            raise SlotRefused(PRACTITIONER_BUSY)
        if appointment_queries.patient_is_busy(self.session, patient_id, start, end, moving):
            raise SlotRefused(PATIENT_BUSY)
        return window

    def place(self, appointment_type: AppointmentType, start: datetime, *, patient_id: uuid.UUID, status: str,
              by: str | None, location_id: uuid.UUID | None = None, appointment_id: uuid.UUID | None = None,
              off_grid: bool = True, **links) -> Appointment:
        """Check, then insert the appointment. SlotRefused if it does not
        fit or if another booking took the time first (the database's word)."""
        start = clock.utc(start)
        window = self.check(appointment_type, start, patient_id=patient_id, location_id=location_id,
                            off_grid=off_grid)
        now = clock.now()
        end = start + appointment_type.duration
        setting = self.location_settings[window.location_id]
        appointment = Appointment(
            id=appointment_id or uuid.uuid4(), patient_id=patient_id, practitioner_id=self.practitioner_id,
            location_id=window.location_id, appointment_type_code=appointment_type.code,
            service_code=appointment_type.service_code, setting=setting,
            start_at=start, end_at=end, blocked_until=end + self.buffer, status=status, start_set_at=now,
            booked_by=by, telehealth_token=telehealth.new_join_token() if setting == "home-telehealth" else None,
            created_at=now, updated_at=now, **links)
        try:
            with appointment_queries.overlap_guarded(self.session):
                self.session.add(appointment)
        except OverlapRefused as refused:
            raise SlotRefused(PATIENT_BUSY if refused.patient else PRACTITIONER_BUSY) from None
        return appointment

