"""Quiet hours, in the person's own time zone.

A window such as 22:00-07:00 runs over midnight. While it lasts, email and
SMS that are not urgent wait until it ends; urgent ones go at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    """The named time zone, or UTC for a name we cannot resolve (a bad zone
    must not stop a message)."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_time_of_day(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time
    time_zone: str

    @classmethod
    def from_strings(cls, start: str | None, end: str | None, time_zone: str | None) -> "QuietHours | None":
        if not start or not end or start == end:
            return None
        return cls(parse_time_of_day(start), parse_time_of_day(end), time_zone or "UTC")

    def _contains(self, local: time) -> bool:
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def active_at(self, at: datetime) -> bool:
        return self._contains(at.astimezone(zone(self.time_zone)).time().replace(second=0, microsecond=0))

    def ends_after(self, at: datetime) -> datetime:
        """The first end of the window after `at` (in UTC)."""
        tz = zone(self.time_zone)
        local = at.astimezone(tz)
        candidate = datetime.combine(local.date(), self.end, tzinfo=tz)
        if candidate <= local:
            candidate = datetime.combine(local.date() + timedelta(days=1), self.end, tzinfo=tz)
        return candidate.astimezone(timezone.utc)

    def release_time(self, at: datetime) -> datetime:
        """When a non-urgent message created at `at` may go out."""
        return self.ends_after(at) if self.active_at(at) else at
