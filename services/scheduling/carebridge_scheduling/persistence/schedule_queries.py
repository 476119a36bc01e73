"""Practitioners' schedules read as domain objects.

Weekly rules change rarely and slot search needs all of them on every
request, so each process keeps the rules it has read, keyed by schedule and
version. Every read first asks the database for the current versions (one
small query), so a changed schedule is read again at once: the cache can
never answer with rules that are out of date. Exceptions (time off, extra
hours) are read fresh for the range asked about.
"""
from __future__ import annotations

import dataclasses
import threading
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.availability import TimeOff, WeeklyRule, WeeklySchedule, Window
from .models import AvailabilityRule, Location, Schedule, ScheduleException

TIME_OFF, EXTRA_HOURS = "time-off", "extra-hours"

_rules_cache: dict[tuple[str, uuid.UUID], tuple[int, WeeklySchedule]] = {}
_rules_lock = threading.Lock()


def location_settings(session: Session) -> dict[uuid.UUID, str]:
    """The setting of every active location (a handful of rows)."""
    return dict(session.execute(select(Location.id, Location.setting).where(Location.active.is_(True))).all())


def weekly_schedules(session: Session, start: datetime, end: datetime,
                     practitioner_id: uuid.UUID | None = None) -> list[WeeklySchedule]:
    """The active schedules (of one practitioner, or of all), with their rules
    and the exceptions that overlap [start, end)."""
    only = [Schedule.active.is_(True)]
    if practitioner_id is not None:
        only.append(Schedule.practitioner_id == practitioner_id)
    heads = session.execute(select(
        Schedule.id, Schedule.version, Schedule.practitioner_id, Schedule.time_zone, Schedule.buffer_minutes,
        Schedule.slot_interval_minutes, Schedule.valid_from, Schedule.valid_until).where(*only)).all()
    if not heads:
        return []
    schedules = _with_rules(session, heads)
    extra: dict[uuid.UUID, list[Window]] = {}
    time_off: dict[uuid.UUID, list[TimeOff]] = {}
    for row in session.execute(
            select(ScheduleException.schedule_id, ScheduleException.kind, ScheduleException.start_at,
                   ScheduleException.end_at, ScheduleException.location_id,
                   ScheduleException.appointment_type_codes)
            .join(Schedule, Schedule.id == ScheduleException.schedule_id)
            .where(*only, ScheduleException.end_at > start, ScheduleException.start_at < end)):
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


def _with_rules(session: Session, heads) -> list[WeeklySchedule]:
    """The schedules of `heads`, in their order."""
    database = session.get_bind().url.render_as_string(hide_password=True)
    found: list[WeeklySchedule | None] = []
    stale = []
    for head in heads:
        cached = _rules_cache.get((database, head.id))
        if cached is not None and cached[0] == head.version:
            found.append(cached[1])
        else:
            found.append(None)
            stale.append((len(found) - 1, head))
    if stale:
        rules: dict[uuid.UUID, list[WeeklyRule]] = {head.id: [] for _, head in stale}
        for row in session.execute(
                select(AvailabilityRule.schedule_id, AvailabilityRule.weekday, AvailabilityRule.start_time,
                       AvailabilityRule.end_time, AvailabilityRule.location_id,
                       AvailabilityRule.appointment_type_codes)
                .where(AvailabilityRule.schedule_id.in_(list(rules)))):
            rules[row.schedule_id].append(WeeklyRule(row.weekday, row.start_time, row.end_time, row.location_id,
                                                     frozenset(row.appointment_type_codes or ())))
        with _rules_lock:
            for position, head in stale:
                schedule = WeeklySchedule(
                    practitioner_id=head.practitioner_id, time_zone=head.time_zone,
                    buffer=timedelta(minutes=head.buffer_minutes),
                    slot_interval=timedelta(minutes=head.slot_interval_minutes),
                    valid_from=head.valid_from, valid_until=head.valid_until, rules=tuple(rules[head.id]))
                _rules_cache[(database, head.id)] = (head.version, schedule)
                found[position] = schedule
    return found


def weekly_schedule(session: Session, practitioner_id: uuid.UUID, start: datetime,
                    end: datetime) -> WeeklySchedule | None:
    found = weekly_schedules(session, start, end, practitioner_id)
    return found[0] if found else None


def time_zone_of(session: Session, practitioner_id: uuid.UUID) -> str | None:
    return session.scalar(select(Schedule.time_zone).where(Schedule.practitioner_id == practitioner_id,
                                                           Schedule.active.is_(True)))
