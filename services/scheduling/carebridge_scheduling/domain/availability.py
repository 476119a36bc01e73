"""When a practitioner can be booked: weekly rules in the practitioner's own
time zone, extra hours, time off.

Rules are kept in local wall-clock time and turned into UTC instants date by
date, so "Mondays 09:00-12:00 in America/New_York" stays 09:00 local on both
sides of a daylight-saving change (14:00Z in winter, 13:00Z in summer).

Slot search asks this for hundreds of practitioners per request, so the hot
path (`spans`) works in whole seconds since the epoch and converts local
times with one memoised offset per zone and day; `windows` gives the same
answer as aware datetimes for everything else. Slot search keeps the spans
it has asked for (service_layer/slot_search_cache.py): the schedule objects
themselves hold nothing but their fields.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from .appointment_types import AppointmentType
from .time_zones import zone

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ONE_DAY = timedelta(days=1)
_EPOCH_DAY = date(1970, 1, 1)


@dataclass(frozen=True)
class WeeklyRule:
    """Available every `weekday` (0 = Monday) from `start` to `end` local time."""
    weekday: int
    start: time
    end: time
    location_id: uuid.UUID
    # The types offered; empty means the types whose usual setting is the
    # location's setting (a clinic offers clinic visits).
    type_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TimeOff:
    start: datetime
    end: datetime


def offers(type_codes: frozenset[str], location_setting: str | None, appointment_type: AppointmentType) -> bool:
    """A visit type is booked only at a location of its setting (issue 25,
    item 14), and only among the window's listed types when it lists some."""
    if location_setting != appointment_type.setting:
        return False
    return not type_codes or appointment_type.code in type_codes


@dataclass(frozen=True)
class Window:
    """One stretch of availability at one location, in UTC (also what extra
    hours are)."""
    start: datetime
    end: datetime
    location_id: uuid.UUID
    type_codes: frozenset[str] = frozenset()

    def offers(self, appointment_type: AppointmentType, location_setting: str | None) -> bool:
        return offers(self.type_codes, location_setting, appointment_type)

    def contains(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


# (start, end, location_id, type_codes) with start and end in epoch seconds.
Span = tuple[int, int, uuid.UUID, frozenset]


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


@lru_cache(maxsize=8192)
def _day_in_zone(time_zone: str, day: date) -> tuple[int, int | None]:
    """The day's local midnight read as UTC (epoch seconds), and the zone's
    UTC offset that whole day, or None on a day the offset changes."""
    tz = zone(time_zone)
    first = datetime.combine(day, time(0), tzinfo=tz).utcoffset()
    last = datetime.combine(day, time(23, 59, 59), tzinfo=tz).utcoffset()
    offset = int(first.total_seconds()) if first == last else None
    return (day - _EPOCH_DAY).days * 86400, offset


def local_epoch(time_zone: str, day: date, at: time) -> int:
    """Epoch seconds of wall-clock time `at` on `day` in `time_zone`."""
    midnight, offset = _day_in_zone(time_zone, day)
    if offset is not None:
        return midnight + at.hour * 3600 + at.minute * 60 + at.second - offset
    return epoch(datetime.combine(day, at, tzinfo=zone(time_zone)))


@dataclass(frozen=True)
class WeeklySchedule:
    practitioner_id: uuid.UUID
    time_zone: str
    buffer: timedelta = timedelta(0)
    slot_interval: timedelta = timedelta(minutes=15)
    valid_from: date | None = None
    valid_until: date | None = None
    rules: tuple[WeeklyRule, ...] = ()
    extra_hours: tuple[Window, ...] = ()
    time_off: tuple[TimeOff, ...] = ()

    def spans(self, start: int, end: int) -> list[Span]:
        """Every window overlapping [start, end) (epoch seconds), sorted,
        touching windows of the same location and types merged."""
        by_weekday: dict[int, list[WeeklyRule]] = {}
        for rule in sorted(self.rules, key=lambda r: r.start):
            by_weekday.setdefault(rule.weekday, []).append(rule)
        found: list[Span] = []
        # A local date can begin up to 14 hours before or after the UTC one.
        day = _EPOCH_DAY + timedelta(days=start // 86400 - 1)
        last_day = _EPOCH_DAY + timedelta(days=end // 86400 + 1)
        while day <= last_day:
            rules = by_weekday.get(day.weekday())
            if rules and (self.valid_from is None or day >= self.valid_from) and (
                    self.valid_until is None or day <= self.valid_until):
                for rule in rules:
                    w_start = local_epoch(self.time_zone, day, rule.start)
                    w_end = local_epoch(self.time_zone, day, rule.end)
                    if w_start < end and start < w_end:
                        found.append((w_start, w_end, rule.location_id, rule.type_codes))
            day += _ONE_DAY
        for extra in self.extra_hours:
            e_start, e_end = epoch(extra.start), epoch(extra.end)
            if e_start < end and start < e_end:
                found.append((e_start, e_end, extra.location_id, extra.type_codes))
        return _merged(found)

    def windows(self, start: datetime, end: datetime) -> list[Window]:
        return [Window(from_epoch(s), from_epoch(e), location_id, codes)
                for s, e, location_id, codes in self.spans(epoch(start), epoch(end))]

    def time_off_overlapping(self, start: datetime, end: datetime) -> list[TimeOff]:
        return [t for t in self.time_off if t.start < end and start < t.end]


def _merged(spans: list[Span]) -> list[Span]:
    spans.sort(key=lambda s: (s[0], s[1]))
    merged: list[Span] = []
    for span in spans:
        if merged:
            p_start, p_end, p_location, p_codes = merged[-1]
            if span[0] <= p_end and (p_location, p_codes) == (span[2], span[3]):
                merged[-1] = (p_start, max(p_end, span[1]), p_location, p_codes)
                continue
        merged.append(span)
    return merged


def overlapping_rules(rules: list[WeeklyRule]) -> list[tuple[WeeklyRule, WeeklyRule]]:
    """Pairs of rules on the same weekday whose hours overlap (a person
    cannot be available twice at once)."""
    clashes = []
    by_day: dict[int, list[WeeklyRule]] = {}
    for rule in rules:
        by_day.setdefault(rule.weekday, []).append(rule)
    for day_rules in by_day.values():
        day_rules.sort(key=lambda r: r.start)
        for earlier, later in zip(day_rules, day_rules[1:]):
            if later.start < earlier.end:
                clashes.append((earlier, later))
    return clashes
