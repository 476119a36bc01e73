from datetime import datetime, timedelta, timezone

import pytest

from carebridge_patients.domain.periods import Period

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def test_a_period_covers_from_its_start_until_just_before_its_end():
    period = Period(T0, T0 + DAY)
    assert period.covers(T0) and period.covers(T0 + DAY - timedelta(seconds=1))
    assert not period.covers(T0 - timedelta(seconds=1)) and not period.covers(T0 + DAY)
    assert Period(T0).covers(T0 + 1000 * DAY)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(T0, T0 - DAY)


@pytest.mark.parametrize("a, b, overlap", [
    (Period(T0, T0 + DAY), Period(T0 + DAY, T0 + 2 * DAY), False),  # back to back
    (Period(T0, T0 + 2 * DAY), Period(T0 + DAY), True),
    (Period(T0), Period(T0 - DAY, T0 + DAY), True),
    (Period(T0), Period(T0 - 2 * DAY, T0 - DAY), False),
    (Period(T0, T0), Period(T0 - DAY), False),  # a called-off period overlaps nothing
])
def test_overlap(a, b, overlap):
    assert a.overlaps(b) is overlap and b.overlaps(a) is overlap


def test_ending_cuts_an_open_period_now_and_calls_off_a_future_one():
    assert Period(T0 - DAY).ended_by(T0) == Period(T0 - DAY, T0)
    assert Period(T0 + DAY, T0 + 2 * DAY).ended_by(T0) == Period(T0 + DAY, T0 + DAY)
    assert Period(T0 - 2 * DAY, T0 - DAY).ended_by(T0) == Period(T0 - 2 * DAY, T0 - DAY)
