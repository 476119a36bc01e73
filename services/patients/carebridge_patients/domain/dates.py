"""Plausibility of the dates people type."""
from __future__ import annotations

from datetime import date, datetime, timedelta

# "Today" somewhere on Earth: a baby born this morning in Kiribati (UTC+14)
# must not be refused because it is still yesterday in UTC.
_EARLIEST_OFFSET = timedelta(hours=14)
OLDEST_AGE_YEARS = 130


def check_birth_date(birth_date: date, now: datetime) -> None:
    latest = (now + _EARLIEST_OFFSET).date()
    if birth_date > latest:
        raise ValueError("A birth date cannot be in the future.")
    if birth_date.year < latest.year - OLDEST_AGE_YEARS:
        raise ValueError(f"A birth date more than {OLDEST_AGE_YEARS} years ago is not plausible.")


def check_not_future(day: date, now: datetime) -> None:
    if day > (now + _EARLIEST_OFFSET).date():
        raise ValueError("This date cannot be in the future.")


def check_time_of_death(deceased_at: datetime, birth_date: date, now: datetime) -> None:
    if deceased_at > now:
        raise ValueError("A time of death cannot be in the future.")
    if (deceased_at + _EARLIEST_OFFSET).date() < birth_date:
        raise ValueError("A time of death cannot be before the birth date.")
