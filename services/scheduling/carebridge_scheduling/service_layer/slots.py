"""Slot search: free times across many practitioners, fast.

Per request: one short query for the schedules' digest (the schedules, their
exceptions in the range and the windows that offer a visit are kept per
process under it: slot_search_cache.py), one for the active locations, one
for the booked stretches in the range, then one pass of interval arithmetic
per practitioner (domain/free_time.py), kept by that practitioner's booked
stretches. Slots are counted without being built; only the requested page
is produced.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from carebridge import clock

from ..domain.appointment_types import MAX_BUFFER_MINUTES, AppointmentType
from ..domain.availability import epoch, from_epoch, offers
from ..domain.free_time import first_of_runs, grid_runs
from ..persistence.appointment_queries import busy_by_practitioner
from ..persistence.schedule_queries import location_settings
from . import slot_search_cache


@dataclass(frozen=True)
class SlotQuery:
    appointment_type: AppointmentType
    start: datetime  # slots start in [start, end)
    end: datetime
    practitioner_id: uuid.UUID | None = None
    setting: str | None = None
    location_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    practitioner_id: uuid.UUID
    location_id: uuid.UUID
    setting: str


def search(session: Session, query: SlotQuery, page: int, page_size: int) -> tuple[list[Slot], int]:
    """One page of free slots, soonest first (ties by practitioner), and how
    many there are in all."""
    kind = query.appointment_type
    duration = kind.duration_minutes * 60
    reach = query.end + kind.duration  # a window may start before `end` and run past it
    searched, schedules = slot_search_cache.searched_schedules(session, query.start, reach, query.practitioner_id)
    settings = location_settings(session)
    span_start, span_end = epoch(query.start), epoch(reach)
    # Everything besides the schedule that decides which windows offer this
    # visit, as one string (the repr of ints, strings, None and UUIDs differs
    # whenever they do): a string keeps its hash, so the hundreds of lookups
    # below do not hash the locations' ids again each time.
    search_key = repr((span_start, span_end, kind.code, query.setting, query.location_id,
                       sorted(settings.items())))
    offering = slot_search_cache.OFFERING.get((searched, search_key))
    if offering is None:
        offering = slot_search_cache.OFFERING.put((searched, search_key), _offering_schedules(
            schedules, search_key, settings, query, span_start, span_end))
    if not offering:
        return [], 0
    # Booked time only of the practitioners who offer this visit here, and
    # only what the last possible slot (with its buffer) could meet.
    # (Everybody's when everybody offers it: the same rows, and a simpler
    # query than one naming hundreds of practitioners.)
    who = None if len(offering) == len(schedules) and query.practitioner_id is None \
        else [schedule.practitioner_id for schedule, *_ in offering.schedules]
    busy = busy_by_practitioner(session, who, query.start, reach + timedelta(minutes=MAX_BUFFER_MINUTES))
    earliest = max(epoch(query.start), epoch(clock.now()) + 1)
    latest = epoch(query.end) - 1
    # A practitioner's starts after their first `wanted` cannot be on the
    # page (their own earlier starts come before them): only the ranges that
    # hold those go on to the page's merge; the rest are only counted.
    wanted = page * page_size
    total, runs = 0, []
    counted, added = offering.free, 0
    for position, (schedule, spans, practitioner, buffer, step) in enumerate(offering.schedules):
        booked = busy.get(practitioner, ())
        key = (position, booked, duration, earliest, latest, wanted)
        answer = counted.get(key)
        if answer is None:
            # A start may not meet a booked stretch (it ends with its own
            # buffer) within the visit and this schedule's buffer:
            # refused_starts.
            before = duration + buffer
            refused = [(b0 - before, b1) for b0, b1 in booked]
            if schedule.time_off:
                refused += [(epoch(t.start) - duration, epoch(t.end))
                            for t in schedule.time_off_overlapping(query.start, reach)]
            refused.sort()
            added += 1
            answer = counted[key] = grid_runs(spans, refused, duration=duration, earliest=earliest, latest=latest,
                                              step=step, wanted=wanted)
        total += answer[0]
        runs += answer[1]
    slot_search_cache.kept_counts(added)
    starts = first_of_runs(runs, (page - 1) * page_size, page_size)
    return [Slot(from_epoch(start), from_epoch(start + duration), practitioner_id, location_id,
                 settings[location_id])
            for start, (_, _, practitioner_id, location_id) in starts], total


def _offering_schedules(schedules, search_key: str, settings: dict[uuid.UUID, str], query: SlotQuery,
                        span_start: int, span_end: int) -> slot_search_cache.Offering:
    """The schedules that offer the visit (slot_search_cache.Offering), each
    schedule's windows kept in OFFERS."""
    offer_keys = [(key, search_key) for key, _ in schedules]
    offering = []
    for (key, schedule), offer_key, spans in zip(schedules, offer_keys,
                                                  slot_search_cache.OFFERS.get_many(offer_keys)):
        if spans is None:
            spans = slot_search_cache.OFFERS.put(offer_key, _offering(
                slot_search_cache.spans(key, schedule, span_start, span_end), settings, query,
                schedule.practitioner_id))
        if spans:
            offering.append((schedule, spans, schedule.practitioner_id.int, int(schedule.buffer.total_seconds()),
                             int(schedule.slot_interval.total_seconds())))
    return slot_search_cache.Offering(offering)


def _offering(spans, settings: dict[uuid.UUID, str], query: SlotQuery,
              practitioner_id: uuid.UUID) -> tuple[tuple[int, int, tuple], ...]:
    """The windows among `spans` that offer the visit searched for, where
    the search allows (the locations in `settings` are the active ones), as
    (start, end, tag): the tag orders ties by practitioner, then location,
    compared as integers first (UUID objects compare in Python code)."""
    return tuple((s, e, (practitioner_id.int, location_id.int, practitioner_id, location_id))
                 for s, e, location_id, codes in spans
                 if location_id in settings and offers(codes, settings[location_id], query.appointment_type)
                 and query.setting in (None, settings[location_id])
                 and query.location_id in (None, location_id))
