"""Weekly rules in the practitioner's time zone, across daylight-saving changes."""
import uuid
from datetime import date, datetime, time, timedelta, timezone

from carebridge_scheduling.domain.availability import TimeOff, WeeklyRule, WeeklySchedule, Window, overlapping_rules

UTC = timezone.utc
CLINIC, OTHER = uuid.uuid4(), uuid.uuid4()


def mondays_9_to_12(**kwargs) -> WeeklySchedule:
    return WeeklySchedule(uuid.uuid4(), "America/New_York",
                          rules=(WeeklyRule(0, time(9), time(12), CLINIC),), **kwargs)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_rule_stays_at_local_time_across_spring_forward():
    # 2026-03-08: New York moves from EST (-5) to EDT (-4).
    windows = mondays_9_to_12().windows(utc(2026, 3, 2), utc(2026, 3, 10))
    assert [(w.start, w.end) for w in windows] == [
        (utc(2026, 3, 2, 14), utc(2026, 3, 2, 17)),  # 09:00-12:00 EST
        (utc(2026, 3, 9, 13), utc(2026, 3, 9, 16)),  # 09:00-12:00 EDT
    ]


def test_rule_stays_at_local_time_across_fall_back():
    # 2026-11-01: New York moves from EDT (-4) back to EST (-5).
    windows = mondays_9_to_12().windows(utc(2026, 10, 26), utc(2026, 11, 3))
    assert [w.start for w in windows] == [utc(2026, 10, 26, 13), utc(2026, 11, 2, 14)]


def test_a_window_on_the_day_of_the_change_is_as_long_as_the_clock_says():
    # Sunday 8 March 2026, 01:00-04:00 local: the clock skips 02:00-03:00.
    schedule = WeeklySchedule(uuid.uuid4(), "America/New_York", rules=(WeeklyRule(6, time(1), time(4), CLINIC),))
    (window,) = schedule.windows(utc(2026, 3, 8), utc(2026, 3, 9))
    assert (window.start, window.end) == (utc(2026, 3, 8, 6), utc(2026, 3, 8, 8))
    (autumn,) = schedule.windows(utc(2026, 11, 1), utc(2026, 11, 2))
    assert autumn.end - autumn.start == timedelta(hours=4)


def test_local_days_differ_from_utc_days():
    # Tokyo is 9 hours ahead: Monday 08:00 there is Sunday 23:00 UTC.
    schedule = WeeklySchedule(uuid.uuid4(), "Asia/Tokyo", rules=(WeeklyRule(0, time(8), time(10), CLINIC),))
    (window,) = schedule.windows(utc(2026, 3, 1, 12), utc(2026, 3, 2, 12))
    assert window.start == utc(2026, 3, 1, 23)


def test_only_windows_overlapping_the_range_and_in_the_validity_period():
    schedule = mondays_9_to_12(valid_from=date(2026, 3, 9), valid_until=date(2026, 3, 16))
    windows = schedule.windows(utc(2026, 3, 1), utc(2026, 3, 31))
    assert [w.start.date() for w in windows] == [date(2026, 3, 9), date(2026, 3, 16)]
    assert mondays_9_to_12().windows(utc(2026, 3, 2, 17), utc(2026, 3, 9, 13)) == []


def test_extra_hours_add_a_window_and_touching_ones_of_one_place_merge():
    extra_same = Window(utc(2026, 3, 2, 17), utc(2026, 3, 2, 19), CLINIC)
    extra_elsewhere = Window(utc(2026, 3, 3, 14), utc(2026, 3, 3, 15), OTHER)
    windows = mondays_9_to_12(extra_hours=(extra_same, extra_elsewhere)).windows(utc(2026, 3, 2), utc(2026, 3, 4))
    assert [(w.start, w.end, w.location_id) for w in windows] == [
        (utc(2026, 3, 2, 14), utc(2026, 3, 2, 19), CLINIC),
        (utc(2026, 3, 3, 14), utc(2026, 3, 3, 15), OTHER)]


def test_time_off_overlapping_a_range():
    off = TimeOff(utc(2026, 3, 2, 15), utc(2026, 3, 2, 16))
    schedule = mondays_9_to_12(time_off=(off,))
    assert schedule.time_off_overlapping(utc(2026, 3, 2, 14), utc(2026, 3, 2, 15, 30)) == [off]
    assert schedule.time_off_overlapping(utc(2026, 3, 2, 16), utc(2026, 3, 2, 17)) == []


def test_rules_overlapping_on_a_weekday_are_found():
    rules = [WeeklyRule(0, time(9), time(12), CLINIC), WeeklyRule(0, time(11), time(13), OTHER),
             WeeklyRule(1, time(11), time(13), OTHER), WeeklyRule(0, time(12), time(14), OTHER)]
    assert overlapping_rules(rules) == [(rules[0], rules[1]), (rules[1], rules[3])]
