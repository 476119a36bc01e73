"""Whether one visit can take place at a given time (booking, moving a
visit, a recurring course, a waitlist offer all ask this)."""
from __future__ import annotations

import uuid
from datetime import datetime

from .appointment_types import AppointmentType
from .availability import Window, WeeklySchedule

IN_THE_PAST = "in-the-past"
NO_SCHEDULE = "no-schedule"
OUTSIDE_AVAILABILITY = "outside-availability"
TIME_OFF = "time-off"
PRACTITIONER_BUSY = "practitioner-busy"
PATIENT_BUSY = "patient-busy"
OFF_GRID = "off-grid"

DETAILS = {
    IN_THE_PAST: "The requested start is not in the future.",
    NO_SCHEDULE: "The practitioner has no active schedule.",
    OUTSIDE_AVAILABILITY: "The practitioner does not offer this appointment type at that time and place.",
    TIME_OFF: "The practitioner is off at that time.",
    PRACTITIONER_BUSY: "That time is already taken in the practitioner's schedule.",
    PATIENT_BUSY: "The patient already has an appointment at that time.",
    OFF_GRID: "The start is off the schedule's slot grid; pick a slot start, or send off_grid: true to book "
              "this time deliberately.",
}
# Refusals that are clashes with other bookings (409) rather than requests
# no booking could satisfy (422).
CLASHES = frozenset({PRACTITIONER_BUSY, PATIENT_BUSY})


def on_grid(window: Window, start: datetime, slot_interval) -> bool:
    """Whether the start falls on the slot grid of its window (every
    `slot_interval` from the window's start, as slot search offers them)."""
    return (start - window.start) % slot_interval == type(slot_interval)(0)


class SlotRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(DETAILS[reason])
        self.reason = reason
        self.detail = DETAILS[reason]


def fitting_window(schedule: WeeklySchedule | None, location_settings: dict[uuid.UUID, str],
                   appointment_type: AppointmentType, start: datetime, now: datetime,
                   location_id: uuid.UUID | None = None) -> Window:
    """The window the visit fits in, or SlotRefused with the reason.
    `location_settings` holds the active locations only."""
    end = start + appointment_type.duration
    if start <= now:
        raise SlotRefused(IN_THE_PAST)
    if schedule is None:
        raise SlotRefused(NO_SCHEDULE)
    for window in schedule.windows(start, end):
        setting = location_settings.get(window.location_id)
        if (setting is not None and window.contains(start, end) and window.offers(appointment_type, setting)
                and (location_id is None or window.location_id == location_id)):
            break
    else:
        raise SlotRefused(OUTSIDE_AVAILABILITY)
    if schedule.time_off_overlapping(start, end):
        raise SlotRefused(TIME_OFF)
    return window
