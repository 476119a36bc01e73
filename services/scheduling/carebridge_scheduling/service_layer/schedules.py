"""Practitioners' schedules: weekly rules, exceptions, buffer."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import ConflictError, NotFoundError, RuleViolation

from .appointment_types import catalogue
from ..domain.availability import WeeklyRule, overlapping_rules
from ..domain.statuses import OCCUPYING
from ..persistence.models import Appointment, AvailabilityRule, Location, Schedule, ScheduleException

TIME_OFF, EXTRA_HOURS = "time-off", "extra-hours"


def get(session: Session, schedule_id: uuid.UUID) -> Schedule:
    return get_or_404(session, Schedule, schedule_id, "schedule")


def search(filters: dict):
    query = select(Schedule).order_by(Schedule.created_at, Schedule.id)
    if filters.get("practitioner_id"):
        query = query.where(Schedule.practitioner_id == filters["practitioner_id"])
    if filters.get("location_id"):
        query = query.where(Schedule.id.in_(select(AvailabilityRule.schedule_id)
                                            .where(AvailabilityRule.location_id == filters["location_id"])))
    return query


def create(session: Session, data: dict) -> Schedule:
    if session.scalar(select(Schedule.id).where(Schedule.practitioner_id == data["practitioner_id"])):
        raise ConflictError("This practitioner has a schedule already; change that one.")
    now = clock.now()
    schedule = Schedule(id=uuid.uuid4(), practitioner_id=data["practitioner_id"], created_at=now)
    _apply(session, schedule, data)
    session.add(schedule)
    session.flush()
    return schedule


def replace(session: Session, schedule: Schedule, data: dict) -> Schedule:
    """New rules, time zone, buffer or validity. Booked visits stay as they
    are; only slots offered from now on change."""
    if data["practitioner_id"] != schedule.practitioner_id:
        raise RuleViolation("A schedule belongs to one practitioner for good.",
                            errors={"practitioner_id": ["cannot change"]})
    _apply(session, schedule, data)
    session.flush()
    return schedule


def _apply(session: Session, schedule: Schedule, data: dict) -> None:
    if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
        raise RuleViolation("valid_until is before valid_from.", errors={"valid_until": ["before valid_from"]})
    rules = data["rules"]
    _check_places_and_types(session, rules, "rules")
    clashes = overlapping_rules([WeeklyRule(r["weekday"], r["start_time"], r["end_time"], r["location_id"])
                                 for r in rules])
    if clashes:
        raise RuleViolation("Two rules overlap on the same weekday.",
                            errors={"rules": ["rules on the same weekday must not overlap"]})
    schedule.time_zone = data["time_zone"]
    schedule.buffer_minutes = data.get("buffer_minutes", 0)
    schedule.slot_interval_minutes = data.get("slot_interval_minutes", 15)
    schedule.valid_from, schedule.valid_until = data.get("valid_from"), data.get("valid_until")
    schedule.active = data.get("active", True)
    _touch(schedule)  # the rules are part of the schedule's version (slot search caches by it)
    schedule.rules = [AvailabilityRule(id=uuid.uuid4(), weekday=r["weekday"], start_time=r["start_time"],
                                       end_time=r["end_time"], location_id=r["location_id"],
                                       appointment_type_codes=sorted(set(r.get("appointment_type_codes", []))))
                      for r in rules]


def _check_places_and_types(session: Session, items: list[dict], field: str) -> None:
    location_ids = {item["location_id"] for item in items if item.get("location_id")}
    active = set(session.scalars(select(Location.id).where(Location.id.in_(location_ids),
                                                           Location.active.is_(True))))
    if location_ids - active:
        raise RuleViolation("Unknown or inactive location.", errors={field: ["unknown or inactive location"]})
    codes = {code for item in items for code in item.get("appointment_type_codes", [])}
    if any(not catalogue(session).knows(code) for code in codes):
        raise RuleViolation("Unknown appointment type.", errors={field: ["unknown appointment type"]})


def exceptions_of(schedule: Schedule, filters: dict):
    query = (select(ScheduleException).where(ScheduleException.schedule_id == schedule.id)
             .order_by(ScheduleException.start_at, ScheduleException.id))
    if filters.get("end_after") is not None:
        query = query.where(ScheduleException.end_at > filters["end_after"])
    if filters.get("start_before") is not None:
        query = query.where(ScheduleException.start_at < filters["start_before"])
    return query


def add_exception(session: Session, schedule: Schedule, data: dict, *,
                  by: str) -> tuple[ScheduleException, list[uuid.UUID]]:
    """Record time off or extra hours. Returns the exception and, for time
    off, the visits already booked in it (they are not moved automatically:
    a coordinator reschedules them with the patient)."""
    if data["end_at"] - data["start_at"] > timedelta(days=366):
        raise RuleViolation("An exception lasts at most a year.", errors={"end": ["at most a year after start"]})
    if data["kind"] == EXTRA_HOURS:
        if not data.get("location_id"):
            raise RuleViolation("Extra hours need a location.", errors={"location_id": ["required for extra hours"]})
        if data["end_at"] - data["start_at"] > timedelta(hours=24):
            raise RuleViolation("Extra hours last at most a day.", errors={"end": ["at most 24 hours after start"]})
        _check_places_and_types(session, [data], "location_id")
    elif data.get("location_id") or data.get("appointment_type_codes"):
        raise RuleViolation("Time off applies to every place and type.",
                            errors={"location_id": ["not for time off"]})
    exception = ScheduleException(id=uuid.uuid4(), schedule_id=schedule.id, created_by=by, created_at=clock.now(),
                                  **data)
    session.add(exception)
    _touch(schedule)
    session.flush()
    affected = []
    if data["kind"] == TIME_OFF:
        affected = list(session.scalars(
            select(Appointment.id).where(Appointment.practitioner_id == schedule.practitioner_id,
                                         Appointment.status.in_(OCCUPYING),
                                         Appointment.start_at < data["end_at"], Appointment.end_at > data["start_at"])
            .order_by(Appointment.start_at)))
    return exception, affected


def remove_exception(session: Session, schedule: Schedule, exception_id: uuid.UUID) -> None:
    exception = session.get(ScheduleException, exception_id)
    if exception is None or exception.schedule_id != schedule.id:
        raise NotFoundError("No such exception on this schedule.")
    session.delete(exception)
    _touch(schedule)
    session.flush()


def _touch(schedule: Schedule) -> None:
    # The schedule's ETag covers its exceptions too: write the row (and so
    # move its version) even when nothing else in it changed.
    schedule.updated_at = clock.now()
    flag_modified(schedule, "updated_at")
