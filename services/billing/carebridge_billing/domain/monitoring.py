"""Which remote physiologic monitoring codes a patient's calendar month earns.

- 99453: device set-up and patient education, once per enrolment, billed
  with the first month that qualifies for 99454;
- 99454: device supply with readings on 16 or more days of the month;
- 99457: the first 20 minutes of monitoring management by staff in the month;
- 99458: each further full 20 minutes in the month.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

SET_UP, DEVICE_DAYS, FIRST_20_MINUTES, EACH_FURTHER_20_MINUTES = "99453", "99454", "99457", "99458"
MONITORING_CODES = (SET_UP, DEVICE_DAYS, FIRST_20_MINUTES, EACH_FURTHER_20_MINUTES)
MIN_DAYS = 16
MINUTES_PER_UNIT = 20


@dataclass(frozen=True)
class MonthCharges:
    device_days: bool
    first_20_minutes: bool
    further_20_minutes: int   # how many 99458


def month_charges(days_with_readings: int, minutes: int) -> MonthCharges:
    units = minutes // MINUTES_PER_UNIT
    return MonthCharges(device_days=days_with_readings >= MIN_DAYS, first_20_minutes=units >= 1,
                        further_20_minutes=max(units - 1, 0))


def month_of(day: date) -> tuple[date, date]:
    """(first day, last day) of the calendar month of `day`."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def period_name(first_day: date) -> str:
    return first_day.strftime("%Y-%m")
