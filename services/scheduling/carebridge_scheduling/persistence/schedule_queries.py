"""Practitioners' schedules read as domain objects: the schedule rows, their
weekly rules, and the exceptions (time off, extra hours) that overlap a
range. Every call reads the database; slot search keeps the schedules it has
built between requests (service_layer/slot_search_cache.py).
"""
from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from ..domain.availability import TimeOff, WeeklyRule, WeeklySchedule, Window
from .models import AvailabilityRule, Location, Schedule, ScheduleException

TIME_OFF, EXTRA_HOURS = "time-off", "extra-hours"


def _core(session: Session):
    """The session's connection, for plain Core statements (slot search
    runs these on every request; the ORM's statement machinery costs more
    than they do), after the flush the ORM's autoflush would have made."""
    session.flush()
    return session.connection()


def location_settings(session: Session) -> dict[uuid.UUID, str]:
    """The setting of every active location (a handful of rows)."""
    return dict(_core(session).execute(select(Location.id, Location.setting).where(Location.active.is_(True))).all())


def database_of(session: Session) -> str:
    """Which database the session reads (one process may serve several, as
    the test suites do), without its password."""
    return session.get_bind().url.render_as_string(hide_password=True)


def _active(practitioner_id: uuid.UUID | None) -> list:
    only = [Schedule.active.is_(True)]
    if practitioner_id is not None:
        only.append(Schedule.practitioner_id == practitioner_id)
    return only


def schedule_heads(session: Session, practitioner_id: uuid.UUID | None = None) -> list[Row]:
    """The active schedules (of one practitioner, or of all): id and version,
    and the columns a WeeklySchedule is built from besides its rules."""
    return _core(session).execute(select(
        Schedule.id, Schedule.version, Schedule.practitioner_id, Schedule.time_zone, Schedule.buffer_minutes,
        Schedule.slot_interval_minutes, Schedule.valid_from, Schedule.valid_until)
        .where(*_active(practitioner_id))).all()


def with_weekly_rules(session: Session, heads: list[Row]) -> list[WeeklySchedule]:
    """The schedules of `heads`, in their order, with their weekly rules (one
    query) and no exceptions."""
    rules: dict[uuid.UUID, list[WeeklyRule]] = {head.id: [] for head in heads}
    for row in _core(session).execute(
            select(AvailabilityRule.schedule_id, AvailabilityRule.weekday, AvailabilityRule.start_time,
                   AvailabilityRule.end_time, AvailabilityRule.location_id, AvailabilityRule.appointment_type_codes)
            .where(AvailabilityRule.schedule_id.in_(list(rules)))):
        rules[row.schedule_id].append(WeeklyRule(row.weekday, row.start_time, row.end_time, row.location_id,
                                                 frozenset(row.appointment_type_codes or ())))
    return [WeeklySchedule(
        practitioner_id=head.practitioner_id, time_zone=head.time_zone, buffer=timedelta(minutes=head.buffer_minutes),
        slot_interval=timedelta(minutes=head.slot_interval_minutes), valid_from=head.valid_from,
        valid_until=head.valid_until, rules=tuple(rules[head.id])) for head in heads]


def with_exceptions(session: Session, heads: list[Row], schedules: list[WeeklySchedule], start: datetime,
                    end: datetime, practitioner_id: uuid.UUID | None = None) -> list[WeeklySchedule]:
    """`schedules` (those of `heads`, read with the same `practitioner_id`)
    with the exceptions that overlap [start, end); the same objects where
    there are none."""
    extra: dict[uuid.UUID, list[Window]] = {}
    time_off: dict[uuid.UUID, list[TimeOff]] = {}
    for row in _core(session).execute(
            select(ScheduleException.schedule_id, ScheduleException.kind, ScheduleException.start_at,
                   ScheduleException.end_at, ScheduleException.location_id,
                   ScheduleException.appointment_type_codes)
            .join(Schedule, Schedule.id == ScheduleException.schedule_id)
            .where(*_active(practitioner_id), ScheduleException.end_at > start, ScheduleException.start_at < end)):
        if row.kind == TIME_OFF:
            time_off.setdefault(row.schedule_id, []).append(TimeOff(row.start_at, row.end_at))
        else:
            extra.setdefault(row.schedule_id, []).append(Window(
                row.start_at, row.end_at, row.location_id, frozenset(row.appointment_type_codes or ())))
    if not extra and not time_off:
        return schedules
    return [dataclasses.replace(schedule, extra_hours=tuple(extra.get(head.id, ())),
                                time_off=tuple(time_off.get(head.id, ())))
            if head.id in extra or head.id in time_off else schedule
            for head, schedule in zip(heads, schedules)]


def time_zone_of(session: Session, practitioner_id: uuid.UUID) -> str | None:
    return session.scalar(select(Schedule.time_zone).where(Schedule.practitioner_id == practitioner_id,
                                                           Schedule.active.is_(True)))
