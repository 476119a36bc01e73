"""The appointment lifecycle (the FHIR Appointment status set)."""
from __future__ import annotations

from carebridge.errors import InvalidTransition
from carebridge.events.catalogue.scheduling import APPOINTMENT_STATUSES

PROPOSED, PENDING, BOOKED, ARRIVED, CHECKED_IN, FULFILLED = (
    "proposed", "pending", "booked", "arrived", "checked-in", "fulfilled")
CANCELLED, NOSHOW, ENTERED_IN_ERROR, WAITLIST = "cancelled", "noshow", "entered-in-error", "waitlist"

TRANSITIONS: dict[str, frozenset[str]] = {
    PROPOSED: frozenset({PENDING, BOOKED, CANCELLED, ENTERED_IN_ERROR}),
    PENDING: frozenset({BOOKED, CANCELLED, ENTERED_IN_ERROR}),
    WAITLIST: frozenset({PROPOSED, PENDING, BOOKED, CANCELLED, ENTERED_IN_ERROR}),
    BOOKED: frozenset({ARRIVED, CHECKED_IN, CANCELLED, NOSHOW, ENTERED_IN_ERROR}),
    ARRIVED: frozenset({CHECKED_IN, FULFILLED, ENTERED_IN_ERROR}),
    CHECKED_IN: frozenset({FULFILLED, ENTERED_IN_ERROR}),
    # A no-show that staff find was wrong (the patient came late, or the
    # visit happened but nobody checked them in) is corrected forwards.
    NOSHOW: frozenset({ARRIVED, CHECKED_IN, FULFILLED, ENTERED_IN_ERROR}),
    FULFILLED: frozenset({ENTERED_IN_ERROR}),
    CANCELLED: frozenset({ENTERED_IN_ERROR}),
    ENTERED_IN_ERROR: frozenset(),
}
assert set(TRANSITIONS) == set(APPOINTMENT_STATUSES)

# Statuses in which an appointment holds the practitioner's time. The
# database enforces that these never overlap for one practitioner (see the
# initial migration); keep both lists the same.
OCCUPYING = (PROPOSED, PENDING, BOOKED, ARRIVED, CHECKED_IN, FULFILLED)
# Statuses whose appointment other services have been told about
# (scheduling.appointment-booked went out), so its end must be announced too.
ANNOUNCED = frozenset({BOOKED, ARRIVED, CHECKED_IN, FULFILLED, NOSHOW})
# Statuses a client may ask for when booking.
BOOKABLE = (BOOKED, PENDING)
# Statuses from which an appointment may move to another time.
RESCHEDULABLE = frozenset({BOOKED, PENDING})


def allowed_from(current: str) -> frozenset[str]:
    return TRANSITIONS[current]


def check_transition(current: str, requested: str) -> None:
    """InvalidTransition (409, naming the allowed moves) unless allowed."""
    if requested not in TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(current, requested, TRANSITIONS.get(current, frozenset()))
