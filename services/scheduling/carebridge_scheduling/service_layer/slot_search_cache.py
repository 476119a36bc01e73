"""What slot search keeps between requests, all of it here and all of it
bounded.

Slot search needs every practitioner's weekly schedule on every request and
asks each for the same few days over and over (the days people look at), so
building them each time would cost more than the rest of the search. Five
least-recently-used maps, each of a fixed size, are kept per worker process
and shared by its threads (each OFFERING entry also holds its practitioners'
counts, at most COUNTS_KEPT in all processes' entries together).

Nothing is ever invalidated in place: every key holds everything its answer
depends on, so a change anywhere makes a new key. The entry under the old
key is then never asked for again and drops out as the least recently used.
What invalidates each entry is said where each map is made below.

The sizes allow for the day views of ~500 practitioners over the ~30 days
people look at (an entry of SPANS and one of OFFERS take ~0.6 KB together,
a schedule ~1.6 KB: at most ~25 MB a process, and as much again for the
practitioners' counts kept with OFFERING's entries). A search whose working set
is larger than a map finds less of it kept (least-recently-used answers a
cyclic scan with misses) and computes the rest as if nothing were kept: the
answers stay right, only slower.
"""
from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from ..domain.availability import Span, WeeklySchedule, Window, epoch
from ..persistence import schedule_queries

V = TypeVar("V")

# What a schedule's windows depend on besides the range asked about: the
# database, the schedule's id and version, and the extra hours read for
# the request (time off does not change the windows; search applies it later).
# The id as its integer: a UUID hashes and compares in Python code, and
# every request looks up every schedule.
ScheduleKey = tuple[tuple[str, int, int], tuple[Window, ...]]


class BoundedCache(Generic[V]):
    """A map of at most `size` entries that drops the least recently used
    one to make room. `None` is never stored (it means "not kept")."""

    def __init__(self, name: str, size: int):
        if size < 1:
            raise ValueError("a cache holds at least one entry")
        self.name = name
        self.size = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        # Worker threads share the map; a get reorders it, so reads lock too.
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def get_many(self, keys: list[Hashable]) -> list[V | None]:
        """`get` of each key, taking the lock once (slot search looks up
        every practitioner's schedule on each request)."""
        found = []
        with self._lock:
            for key in keys:
                value = self._entries.get(key)
                if value is not None:
                    self._entries.move_to_end(key)
                found.append(value)
        return found

    def put(self, key: Hashable, value: V) -> V:
        if value is None:
            raise ValueError("None cannot be kept: it means not kept")
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def get_or_compute(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The kept value, or `compute()` kept. Two threads missing the same
        key at once both compute it (the same answer), rather than one
        waiting on the other's database reads."""
        value = self.get(key)
        return self.put(key, compute()) if value is None else value

    def __len__(self) -> int:
        return len(self._entries)

    def values(self) -> list[V]:
        with self._lock:
            return list(self._entries.values())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# Weekly schedules (rules, time zone, buffer, interval, validity) without
# exceptions, by (database, schedule id, version). The version is the
# schedule row's version_id_col: SQLAlchemy moves it on every update of the
# row, and every change of its rules or exceptions writes the row
# (service_layer/schedules.py `_touch`), so a changed schedule has a new key
# and is read afresh. A deactivated schedule is not read at all.
SCHEDULES: BoundedCache[WeeklySchedule] = BoundedCache("weekly schedules", 8192)

# Every window of a schedule in a range (epoch seconds), by (ScheduleKey,
# start, end): invalidated with the schedule's version and by different
# extra hours, both part of ScheduleKey.
SPANS: BoundedCache[tuple[Span, ...]] = BoundedCache("schedule windows", 16384)

# The windows of a schedule in a range that offer one search's visit, by
# (ScheduleKey, search key); the search key (slots.py) holds the range, the
# appointment type code, the setting and location asked for and the settings
# of all active locations, so an entry is also invalidated when a location is
# added, closed or changes its setting. Appointment types are fixed in the
# code. Each window carries the tag its slots are ordered by (practitioner,
# location): a schedule's practitioner changes only with its version.
OFFERS: BoundedCache[tuple[tuple[int, int, tuple], ...]] = BoundedCache("offering windows", 16384)


# The active schedules with the exceptions overlapping a range, as
# weekly_schedules answers, by (database, practitioner or None, the digest of
# the schedules' ids and versions, range): a change of any schedule, its rules
# or its exceptions moves its version and so the digest (schedule_queries.
# schedules_state). Each entry is a list of references to SCHEDULES' objects.
SEARCHED: BoundedCache[list[tuple[ScheduleKey, WeeklySchedule]]] = BoundedCache("searched schedules", 4096)

class Offering:
    """The schedules of a SEARCHED entry that offer one search's visit, each
    as (schedule, its offering windows from OFFERS, practitioner id as int,
    buffer and slot interval in seconds), and what `free` has counted on
    them.

    `free` maps (position in `schedules`, the practitioner's booked
    stretches, visit length, earliest and latest start, starts wanted) to
    `grid_runs`' answer for that practitioner: everything else it depends on
    (windows, buffer, interval, time off in the range) is fixed by the
    entry's key. Day views are asked again and again while few of their
    bookings change, so most practitioners' counts come from here; a
    practitioner whose bookings changed gets a new entry. All entries'
    counts together are bounded by COUNTS_KEPT (`kept_counts`)."""

    __slots__ = ("schedules", "free")

    def __init__(self, schedules: list[tuple[WeeklySchedule, tuple, int, int, int]]):
        self.schedules = schedules
        self.free: dict[tuple, tuple[int, list]] = {}

    def __len__(self) -> int:
        return len(self.schedules)


# Practitioners' counts kept in all Offering entries together (~1 KB each
# with the booked stretches in its key: ~25 MB at most), enough for the day
# views of 200 practitioners over ~100 days and pages. When there are more,
# every entry's counts are dropped (those of the current searches come back
# at once): simpler than an order of use across entries, and rare.
COUNTS_KEPT = 25_000
_counts = [0]
_counts_lock = threading.Lock()


def kept_counts(added: int) -> None:
    """Note `added` new counts kept in Offering entries; past COUNTS_KEPT,
    drop every entry's."""
    if not added:
        return
    with _counts_lock:
        _counts[0] += added
        if _counts[0] <= COUNTS_KEPT:
            return
        _counts[0] = 0
    for offering in OFFERING.values():
        offering.free.clear()


# The schedules of a SEARCHED entry offering one search's visit, by (the
# entry's key, search key): what OFFERS holds for each of them, looked up
# once instead of once per schedule, with their counted free time.
OFFERING: BoundedCache[Offering] = BoundedCache("offering schedules", 4096)


def searched_schedules(session: Session, start: datetime, end: datetime, practitioner_id: uuid.UUID | None = None
                       ) -> tuple[Hashable, list[tuple[ScheduleKey, WeeklySchedule]]]:
    """`weekly_schedules` and the key of its answer: one small query (the
    schedules' digest) when the answer is kept, which is what slot search
    meets on nearly every request (schedules change far less often than
    they are searched)."""
    state = schedule_queries.schedules_state(session, practitioner_id)
    key = (schedule_queries.database_of(session), None if practitioner_id is None else practitioner_id.int, state,
           epoch(start), epoch(end))
    if state is None:
        return key, []
    # Read after the digest: a schedule changed in between is read as it is
    # now and kept under the digest from before, which no later request can
    # meet again (digests do not come back), so nothing stale is ever served.
    return key, SEARCHED.get_or_compute(key, lambda: _weekly_schedules(session, start, end, practitioner_id))


def weekly_schedules(session: Session, start: datetime, end: datetime,
                     practitioner_id: uuid.UUID | None = None) -> list[tuple[ScheduleKey, WeeklySchedule]]:
    """The active schedules (of one practitioner, or of all) with the
    exceptions that overlap [start, end), each with its ScheduleKey. Never
    an old answer: kept ones are found by the schedules' current digest."""
    return searched_schedules(session, start, end, practitioner_id)[1]


def _weekly_schedules(session: Session, start: datetime, end: datetime,
                      practitioner_id: uuid.UUID | None) -> list[tuple[ScheduleKey, WeeklySchedule]]:
    """What weekly_schedules answers, read: the current versions first (one
    small query), so a changed schedule is never built from an old SCHEDULES
    entry."""
    heads = schedule_queries.schedule_heads(session, practitioner_id)
    if not heads:
        return []
    database = schedule_queries.database_of(session)
    keys = [(database, head.id.int, head.version) for head in heads]
    found = SCHEDULES.get_many(keys)
    missing = [position for position, schedule in enumerate(found) if schedule is None]
    if missing:
        read = schedule_queries.with_weekly_rules(session, [heads[position] for position in missing])
        for position, schedule in zip(missing, read):
            found[position] = SCHEDULES.put(keys[position], schedule)
    schedules = schedule_queries.with_exceptions(session, heads, found, start, end, practitioner_id)
    return [((key, schedule.extra_hours), schedule) for key, schedule in zip(keys, schedules)]


def weekly_schedule(session: Session, practitioner_id: uuid.UUID, start: datetime,
                    end: datetime) -> WeeklySchedule | None:
    found = weekly_schedules(session, start, end, practitioner_id)
    return found[0][1] if found else None


def spans(key: ScheduleKey, schedule: WeeklySchedule, start: int, end: int) -> tuple[Span, ...]:
    """`schedule.spans(start, end)`, kept."""
    return SPANS.get_or_compute((key, start, end), lambda: tuple(schedule.spans(start, end)))
