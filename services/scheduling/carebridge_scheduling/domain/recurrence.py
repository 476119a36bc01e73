"""Recurring visits (a therapy course: twice a week for six weeks)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from .time_zones import zone


@dataclass(frozen=True)
class WeeklySession:
    weekday: int  # 0 = Monday
    at: time      # local time of day


def occurrences(first_day: date, weeks: int, sessions: list[WeeklySession], time_zone: str) -> list[datetime]:
    """The start of every session on the days [first_day, first_day + weeks),
    in UTC, in order; local times stay put across daylight-saving changes."""
    tz = zone(time_zone)
    starts = []
    for offset in range(weeks * 7):
        day = first_day + timedelta(days=offset)
        for session in sessions:
            if session.weekday == day.weekday():
                starts.append(datetime.combine(day, session.at, tzinfo=tz).astimezone(timezone.utc))
    return sorted(set(starts))
