"""What slot search keeps between requests: each map stays within its size,
and a changed schedule is never answered from what was kept for the old one."""
import threading
import uuid
from datetime import datetime, time, timedelta, timezone

import pytest

from carebridge_scheduling.domain.availability import WeeklyRule, WeeklySchedule, epoch
from carebridge_scheduling.service_layer import schedules, slot_search_cache
from carebridge_scheduling.service_layer.slot_search_cache import BoundedCache
from support import add_schedule

UTC = timezone.utc
# Monday 2 March 2026 to Saturday 7 March, around the world fixture's week.
WEEK = (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 7, tzinfo=UTC))


class TestBoundedCache:
    def test_never_holds_more_than_its_size_and_drops_the_least_recently_used(self):
        cache = BoundedCache("test", 3)
        for n in range(3):
            cache.put(n, f"value {n}")
        assert cache.get(0) == "value 0"  # 0 is now the most recently used; 1 the least
        cache.put(3, "value 3")
        cache.put(4, "value 4")
        assert len(cache) == 3
        assert [cache.get(n) for n in range(5)] == ["value 0", None, None, "value 3", "value 4"]

    def test_get_many_answers_in_order_and_counts_as_a_use_of_each_kept_key(self):
        cache = BoundedCache("test", 3)
        for n in range(3):
            cache.put(n, f"value {n}")
        assert cache.get_many([2, "absent", 0]) == ["value 2", None, "value 0"]
        cache.put(3, "value 3")  # 1 was the only one not used since
        assert cache.get_many([0, 1, 2, 3]) == ["value 0", None, "value 2", "value 3"]

    def test_putting_a_kept_key_again_replaces_it_without_growing(self):
        cache = BoundedCache("test", 2)
        cache.put("a", 1)
        cache.put("b", 2)
        cache.put("a", 3)
        cache.put("c", 4)  # "b" is the least recently used now
        assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (3, None, 4, 2)

    def test_get_or_compute_computes_only_what_is_not_kept(self):
        cache = BoundedCache("test", 2)
        computed = []

        def compute(value):
            computed.append(value)
            return value

        assert cache.get_or_compute("k", lambda: compute(())) == ()  # an empty answer is kept too
        assert cache.get_or_compute("k", lambda: compute("again")) == ()
        assert computed == [()]

    def test_none_is_not_a_value_and_a_cache_holds_something(self):
        with pytest.raises(ValueError):
            BoundedCache("test", 2).put("k", None)
        with pytest.raises(ValueError):
            BoundedCache("test", 0)

    def test_stays_within_its_size_with_threads_sharing_it(self):
        cache = BoundedCache("test", 50)
        failures = []

        def use(offset):
            try:
                for n in range(2000):
                    cache.put((offset, n % 120), n)
                    cache.get((offset, (n * 7) % 120))
                    cache.get_or_compute((offset + 1, n % 90), lambda: n)
            except Exception as error:  # noqa: BLE001 - any failure in a thread is the test failing
                failures.append(error)

        threads = [threading.Thread(target=use, args=(offset,)) for offset in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == [] and len(cache) == 50


def test_spans_are_kept_by_key_and_a_new_key_computes_them_again():
    schedule = WeeklySchedule(uuid.uuid4(), "America/New_York",
                              rules=(WeeklyRule(0, time(9), time(12), uuid.uuid4()),))
    key = (("sqlite://", uuid.uuid4(), 1), ())
    start, end = epoch(WEEK[0]), epoch(WEEK[1])
    first = slot_search_cache.spans(key, schedule, start, end)
    assert first == tuple(schedule.spans(start, end)) and len(first) == 1
    assert slot_search_cache.spans(key, schedule, start, end) is first
    longer = WeeklySchedule(schedule.practitioner_id, schedule.time_zone,
                            rules=(WeeklyRule(0, time(9), time(15), schedule.rules[0].location_id),))
    newer = ((key[0][0], key[0][1], 2), ())
    (span,) = slot_search_cache.spans(newer, longer, start, end)
    assert span[1] - span[0] == 6 * 3600


def _kept(runtime, practitioner_id):
    with runtime.db.transaction() as session:
        ((key, schedule),) = slot_search_cache.weekly_schedules(session, *WEEK, practitioner_id)
    return key, schedule


def test_a_schedule_is_read_once_and_again_when_its_version_moves(runtime, world, clock):
    key, schedule = _kept(runtime, world.practitioner_id)
    assert _kept(runtime, world.practitioner_id) == (key, schedule)
    assert _kept(runtime, world.practitioner_id)[1] is schedule  # the same object: kept, not read again
    assert slot_search_cache.SCHEDULES.get(key[0]) is schedule

    with runtime.db.transaction() as session:
        row = schedules.get(session, world.schedule_id)
        schedules.replace(session, row, {
            "practitioner_id": world.practitioner_id, "time_zone": "America/New_York", "buffer_minutes": 5,
            "rules": [{"weekday": 0, "start_time": time(9), "end_time": time(10), "location_id": world.clinic_id}]})

    new_key, changed = _kept(runtime, world.practitioner_id)
    assert new_key[0][:2] == key[0][:2] and new_key[0][2] > key[0][2]
    assert [(r.weekday, r.start, r.end) for r in changed.rules] == [(0, time(9), time(10))]
    assert slot_search_cache.SCHEDULES.get(new_key[0]) is changed


def test_extra_hours_are_part_of_the_key(runtime, world, clock):
    key, _ = _kept(runtime, world.practitioner_id)
    start = datetime(2026, 3, 7, 18, tzinfo=UTC)  # Saturday afternoon, outside the weekly rules
    with runtime.db.transaction() as session:
        schedules.add_exception(session, schedules.get(session, world.schedule_id), {
            "kind": "extra-hours", "start_at": start, "end_at": start + timedelta(hours=2),
            "location_id": world.clinic_id}, by="test")
    with runtime.db.transaction() as session:
        ((with_extra, schedule),) = slot_search_cache.weekly_schedules(
            session, WEEK[0], WEEK[1] + timedelta(days=1), world.practitioner_id)
    assert with_extra != key and len(with_extra[1]) == 1
    spans = slot_search_cache.spans(with_extra, schedule, epoch(start), epoch(start + timedelta(hours=2)))
    assert [(s, e) for s, e, _, _ in spans] == [(epoch(start), epoch(start) + 7200)]


def _searched(runtime, practitioner_id=None, week=WEEK):
    with runtime.db.transaction() as session:
        return slot_search_cache.searched_schedules(session, *week, practitioner_id)


def test_searched_schedules_are_kept_until_any_schedule_changes(runtime, world, clock):
    key, found = _searched(runtime)
    assert _searched(runtime) == (key, found) and _searched(runtime)[1] is found  # kept, not read again
    own_key, own = _searched(runtime, world.practitioner_id)
    assert own_key != key and [schedule for _, schedule in own] == [schedule for _, schedule in found]

    # Time off changes no rule but the schedule's version: a new digest, and the time off is there.
    start = datetime(2026, 3, 3, 15, tzinfo=UTC)
    with runtime.db.transaction() as session:
        schedules.add_exception(session, schedules.get(session, world.schedule_id), {
            "kind": "time-off", "start_at": start, "end_at": start + timedelta(hours=2)}, by="test")
    for practitioner_id, before in ((None, key), (world.practitioner_id, own_key)):
        after, ((_, schedule),) = _searched(runtime, practitioner_id)
        assert after != before and [t.start for t in schedule.time_off] == [start]

    # Another practitioner's new schedule is found by everybody's search, not by the first one's.
    other = uuid.uuid4()
    other_schedule = add_schedule(runtime, other, [
        {"weekday": 1, "start_time": "09:00", "end_time": "10:00", "location_id": world.clinic_id}],
        time_zone="Europe/London")
    everybody_key, everybody = _searched(runtime)
    assert {schedule.practitioner_id for _, schedule in everybody} == {world.practitioner_id, other}
    assert _searched(runtime, world.practitioner_id)[0] == after

    # Deactivated: no longer searched, under a digest never seen before.
    with runtime.db.transaction() as session:
        row = schedules.get(session, other_schedule)
        schedules.replace(session, row, {"practitioner_id": other, "time_zone": "Europe/London", "active": False,
                                         "rules": [{"weekday": 1, "start_time": time(9), "end_time": time(10),
                                                    "location_id": world.clinic_id}]})
    last_key, last = _searched(runtime)
    assert last_key not in (key, everybody_key) and [s.practitioner_id for _, s in last] == [world.practitioner_id]


def test_no_schedule_at_all_is_nothing_to_search(runtime, clock):
    assert _searched(runtime)[1] == [] and _searched(runtime, uuid.uuid4())[1] == []


def test_practitioners_counts_are_dropped_past_their_bound_and_answers_stay(client, auth, world, monkeypatch):
    monkeypatch.setattr(slot_search_cache, "COUNTS_KEPT", 3)
    monkeypatch.setattr(slot_search_cache, "_counts", [0])
    headers = auth("coordinator")

    def page(day):
        response = client.get("/slots", headers=headers, query_string={
            "appointment_type_code": "follow-up", "start_date": day, "end_date": day,
            "time_zone": "America/New_York"})
        assert response.status_code == 200
        return response.get_json()

    first = page("2026-03-03")
    kept = [offering for offering in slot_search_cache.OFFERING.values() if offering.free]
    assert kept  # the one practitioner's count is kept
    for day in ("2026-03-04", "2026-03-05", "2026-03-06"):
        page(day)
    # The fourth count went past the bound: every entry's counts were dropped.
    assert sum(len(offering.free) for offering in slot_search_cache.OFFERING.values()) == 0
    assert page("2026-03-03") == first
