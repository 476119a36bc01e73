"""Which reminder an appointment is due for.

With offsets of 24 hours and 2 hours, an appointment gets the 24-hour
reminder between 24 and 2 hours before it starts, and the 2-hour reminder in
the last 2 hours. A reminder whose moment came before the appointment was
booked (or moved to its current time) is skipped: the booking confirmation
told the patient already, and two reminders in one minute help nobody.
"""
from __future__ import annotations

from datetime import datetime, timedelta


def windows(offsets_minutes: tuple[int, ...]) -> list[tuple[int, int]]:
    """(offset, next smaller offset or 0) for each offset, largest first: the
    reminder for `offset` is due while start - offset <= now < start - next."""
    ordered = sorted(set(offsets_minutes), reverse=True)
    return list(zip(ordered, ordered[1:] + [0]))


def worth_sending(start: datetime, start_set_at: datetime, offset_minutes: int) -> bool:
    """False for a reminder whose moment passed before the current start was set."""
    return start - timedelta(minutes=offset_minutes) >= start_set_at
