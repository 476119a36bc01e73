"""Booking: one visit, or a recurring course of visits."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from carebridge.errors import ConflictError, RuleViolation

from ..domain.recurrence import WeeklySession, occurrences
from ..domain.slot_rules import NO_SCHEDULE, SlotRefused
from ..domain.statuses import BOOKED
from ..persistence import schedule_queries
from ..persistence.models import Appointment
from . import booking_requests, patients, plan_links
from .announcements import announce_booked
from .placement import Placement, bookable_type, refusal_error

MAX_OCCURRENCES = 104


def book(session: Session, data: dict, *, appointment_id: uuid.UUID, by: str) -> Appointment:
    appointment_type = bookable_type(session, data["appointment_type_code"])
    patient_id, start = data["patient_id"], data["start"]
    patient = patients.ensure_bookable(session, patient_id)
    location_id = data.get("location_id") or patients.default_location(patient)
    care_plan_id, request = plan_links.checked_plan_link(session, patient_id, data.get("care_plan_id"),
                                                       data.get("plan_activity_id"))
    placement = Placement(session, data["practitioner_id"], start, start + appointment_type.duration)
    try:
        appointment = placement.place(
            appointment_type, start, patient_id=patient_id, status=data.get("status", BOOKED), by=by,
            location_id=location_id, appointment_id=appointment_id, off_grid=data.get("off_grid", False),
            care_plan_id=care_plan_id, plan_activity_id=data.get("plan_activity_id"))
    except SlotRefused as refused:
        raise refusal_error(refused) from None
    if appointment.status == BOOKED:
        announce_booked(session, appointment, by)
    booking_requests.fulfil(request, appointment_id=appointment.id)
    return appointment


@dataclass
class SeriesOutcome:
    series_id: uuid.UUID
    booked: list[Appointment] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)


def book_series(session: Session, data: dict, *, series_id: uuid.UUID, by: str) -> SeriesOutcome:
    """Book every occurrence that fits; report the ones that do not, with
    the reason. 409 if none fits."""
    appointment_type = bookable_type(session, data["appointment_type_code"])
    patient_id, practitioner_id = data["patient_id"], data["practitioner_id"]
    location_id = data.get("location_id") or patients.default_location(patients.ensure_bookable(session, patient_id))
    care_plan_id, request = plan_links.checked_plan_link(session, patient_id, data.get("care_plan_id"),
                                                       data.get("plan_activity_id"))
    starts = _occurrences(session, data, practitioner_id)
    placement = Placement(session, practitioner_id, starts[0], starts[-1] + appointment_type.duration)
    outcome = SeriesOutcome(series_id)
    for start in starts:
        try:
            appointment = placement.place(
                appointment_type, start, patient_id=patient_id, status=BOOKED, by=by,
                location_id=location_id, series_id=series_id, care_plan_id=care_plan_id,
                plan_activity_id=data.get("plan_activity_id"))
        except SlotRefused as refused:
            outcome.refused.append({"start": start, "end": start + appointment_type.duration,
                                    "reason": refused.reason, "detail": refused.detail})
            continue
        outcome.booked.append(appointment)
    if not outcome.booked:
        raise ConflictError("None of the occurrences could be booked.",
                            refused=[{**r, "start": r["start"].isoformat(), "end": r["end"].isoformat()}
                                     for r in outcome.refused])
    for index, appointment in enumerate(outcome.booked, 1):
        announce_booked(session, appointment, by, series=(index, len(outcome.booked)))
    booking_requests.fulfil(request, series_id=series_id)
    return outcome


def _occurrences(session: Session, data: dict, practitioner_id: uuid.UUID) -> list[datetime]:
    # Sessions are at the practitioner's local time unless said otherwise.
    time_zone = data.get("time_zone") or schedule_queries.time_zone_of(session, practitioner_id)
    if time_zone is None:
        raise refusal_error(SlotRefused(NO_SCHEDULE))
    sessions = [WeeklySession(s["weekday"], s["at"]) for s in data["sessions"]]
    starts = occurrences(data["first_day"], data["weeks"], sessions, time_zone)
    if not starts:
        raise RuleViolation("The pattern has no occurrence.", errors={"sessions": ["no session falls in the weeks"]})
    if len(starts) > MAX_OCCURRENCES:
        raise RuleViolation(f"A series has at most {MAX_OCCURRENCES} occurrences.",
                            errors={"weeks": [f"at most {MAX_OCCURRENCES} occurrences in all"]})
    return starts

