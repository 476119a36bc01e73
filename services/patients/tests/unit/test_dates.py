from datetime import date, datetime, timezone

import pytest

from carebridge_patients.domain.dates import check_birth_date, check_not_future, check_time_of_death

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)


def test_a_birth_date_is_today_somewhere_or_earlier():
    check_birth_date(date(2026, 3, 3), NOW)  # already the 3rd in Kiribati
    check_birth_date(date(1951, 7, 14), NOW)
    for implausible in (date(2026, 3, 5), date(1890, 1, 1)):
        with pytest.raises(ValueError):
            check_birth_date(implausible, NOW)


def test_dates_in_the_future_are_refused():
    check_not_future(date(2026, 3, 2), NOW)
    with pytest.raises(ValueError):
        check_not_future(date(2027, 1, 1), NOW)


def test_a_death_is_in_the_past_and_after_the_birth():
    check_time_of_death(datetime(2026, 3, 1, tzinfo=timezone.utc), date(1951, 7, 14), NOW)
    with pytest.raises(ValueError):
        check_time_of_death(datetime(2026, 3, 3, tzinfo=timezone.utc), date(1951, 7, 14), NOW)
    with pytest.raises(ValueError):
        check_time_of_death(datetime(1950, 1, 1, tzinfo=timezone.utc), date(1951, 7, 14), NOW)
