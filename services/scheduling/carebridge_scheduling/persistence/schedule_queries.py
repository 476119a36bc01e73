"""Practitioners' schedules read as domain objects: the schedule rows, their
weekly rules, and the exceptions (time off, extra hours) that overlap a
range. Every call reads the database; slot search keeps the schedules it has
built between requests (service_layer/slot_search_cache.py).
"""
from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Row, String, bindparam, cast, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
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


# Slot search runs the statements below on every request: each is built
# once (the range and the practitioner as bound parameters), since building
# a statement's expression costs more client CPU than executing it.
_ACTIVE_LOCATION_SETTINGS = select(Location.id, Location.setting).where(Location.active.is_(True))


def location_settings(session: Session) -> dict[uuid.UUID, str]:
    """The setting of every active location (a handful of rows)."""
    return dict(_core(session).execute(_ACTIVE_LOCATION_SETTINGS).all())


def database_of(session: Session) -> str:
    """Which database the session reads (one process may serve several, as
    the test suites do), without its password."""
    return session.get_bind().url.render_as_string(hide_password=True)


def _active(one_practitioner: bool) -> list:
    """Active schedules, of the practitioner bound as `practitioner` if
    `one_practitioner`."""
    only = [Schedule.active.is_(True)]
    if one_practitioner:
        only.append(Schedule.practitioner_id == bindparam("practitioner"))
    return only


def _whose(practitioner_id: uuid.UUID | None) -> dict:
    return {} if practitioner_id is None else {"practitioner": practitioner_id}


@lru_cache(maxsize=None)
def _heads_statement(one_practitioner: bool):
    return select(
        Schedule.id, Schedule.version, Schedule.practitioner_id, Schedule.time_zone, Schedule.buffer_minutes,
        Schedule.slot_interval_minutes, Schedule.valid_from, Schedule.valid_until).where(*_active(one_practitioner))


def schedules_state(session: Session, practitioner_id: uuid.UUID | None = None) -> str | None:
    """A digest of every schedule's (of one practitioner, or of all; active
    or not) id and version, None when there is none. Schedules are never
    deleted and every change of one (its rules, exceptions, or being
    deactivated) moves its version up, so a digest never comes back once
    anything has changed, and schedules' ids are random: the same digest
    means the same schedules, rules and exceptions."""
    connection = _core(session)
    statement = _state_statement(connection.dialect.name == "postgresql", practitioner_id is not None)
    return connection.execute(statement, _whose(practitioner_id)).scalar()


@lru_cache(maxsize=None)
def _state_statement(postgresql: bool, one_practitioner: bool):
    entry = cast(Schedule.id, String) + ":" + cast(Schedule.version, String)
    where = [Schedule.practitioner_id == bindparam("practitioner")] if one_practitioner else []
    if postgresql:
        # The database hashes the list: one short value to read.
        return select(func.md5(func.string_agg(entry, aggregate_order_by(literal(","), Schedule.id)))).where(*where)
    ordered = select(entry.label("entry")).where(*where).order_by(Schedule.id).subquery()
    return select(func.group_concat(ordered.c.entry, ","))


def schedule_heads(session: Session, practitioner_id: uuid.UUID | None = None) -> list[Row]:
    """The active schedules (of one practitioner, or of all): id and version,
    and the columns a WeeklySchedule is built from besides its rules."""
    return _core(session).execute(_heads_statement(practitioner_id is not None), _whose(practitioner_id)).all()


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
    for row in _core(session).execute(_exceptions_statement(practitioner_id is not None),
                                      {"start": start, "end": end, **_whose(practitioner_id)}):
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


@lru_cache(maxsize=None)
def _exceptions_statement(one_practitioner: bool):
    return (select(ScheduleException.schedule_id, ScheduleException.kind, ScheduleException.start_at,
                   ScheduleException.end_at, ScheduleException.location_id, ScheduleException.appointment_type_codes)
            .join(Schedule, Schedule.id == ScheduleException.schedule_id)
            .where(*_active(one_practitioner), ScheduleException.end_at > bindparam("start"),
                   ScheduleException.start_at < bindparam("end")))


def time_zone_of(session: Session, practitioner_id: uuid.UUID) -> str | None:
    return session.scalar(select(Schedule.time_zone).where(Schedule.practitioner_id == practitioner_id,
                                                           Schedule.active.is_(True)))
