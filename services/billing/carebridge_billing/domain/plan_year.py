"""Deductibles and out-of-pocket maximums reset each plan year, which starts
on the first day of the plan's start month (January for most plans)."""
from __future__ import annotations

from datetime import date


def plan_year_start(on: date, start_month: int = 1) -> date:
    if not 1 <= start_month <= 12:
        raise ValueError("a plan year starts in month 1 to 12")
    year = on.year if on.month >= start_month else on.year - 1
    return date(year, start_month, 1)
