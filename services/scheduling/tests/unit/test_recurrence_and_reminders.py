from datetime import date, datetime, time, timedelta, timezone

from carebridge_scheduling.domain import reminders
from carebridge_scheduling.domain.recurrence import WeeklySession, occurrences

UTC = timezone.utc


def test_twice_a_week_for_six_weeks_is_twelve_visits_at_local_time_across_dst():
    starts = occurrences(date(2026, 3, 3), 6, [WeeklySession(1, time(10)), WeeklySession(3, time(10))],
                         "America/New_York")
    assert len(starts) == 12
    assert starts[0] == datetime(2026, 3, 3, 15, tzinfo=UTC)      # Tue 10:00 EST
    assert starts[2] == datetime(2026, 3, 10, 14, tzinfo=UTC)     # Tue 10:00 EDT
    assert starts[-1] == datetime(2026, 4, 9, 14, tzinfo=UTC)     # Thu of week six


def test_the_series_starts_on_its_first_day_not_the_week_before():
    # First day Wednesday: Tuesday sessions begin the next week, still six of each.
    starts = occurrences(date(2026, 3, 4), 6, [WeeklySession(1, time(10)), WeeklySession(3, time(10))], "UTC")
    assert starts[0].date() == date(2026, 3, 5) and starts[-1].date() == date(2026, 4, 14) and len(starts) == 12


def test_reminder_windows_run_from_each_offset_to_the_next():
    assert reminders.windows((120, 1440)) == [(1440, 120), (120, 0)]
    assert reminders.windows((60,)) == [(60, 0)]


def test_a_reminder_whose_moment_passed_before_booking_is_not_worth_sending():
    start = datetime(2026, 3, 5, 15, tzinfo=UTC)
    assert reminders.worth_sending(start, start - timedelta(days=3), 1440)
    assert not reminders.worth_sending(start, start - timedelta(hours=3), 1440)
    assert reminders.worth_sending(start, start - timedelta(hours=3), 120)
