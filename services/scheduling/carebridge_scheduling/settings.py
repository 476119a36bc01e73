"""The scheduling service's own settings, from the environment like the
kit's (`SCHEDULING_NOSHOW_GRACE_MINUTES=20`, ...)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from carebridge.config import ConfigurationError, Settings

DEFAULTS = {
    # A booked visit not checked in this long after its start is a no-show.
    "NOSHOW_GRACE_MINUTES": "15",
    # Reminders go out this many minutes before the start.
    "REMINDER_OFFSETS_MINUTES": "1440,120",
    # How long a slot offered to the first patient on the waitlist is held.
    "WAITLIST_HOLD_MINUTES": "120",
    # Where a telehealth visit's join link points (the token is appended).
    "TELEHEALTH_JOIN_BASE_URL": "https://telehealth.carebridge.example/join",
}


@dataclass(frozen=True)
class SchedulingSettings:
    noshow_grace: timedelta
    reminder_offsets_minutes: tuple[int, ...]
    waitlist_hold: timedelta
    telehealth_join_base_url: str

    @property
    def noshow_grace_minutes(self) -> int:
        return int(self.noshow_grace.total_seconds() // 60)

    @classmethod
    def from_settings(cls, settings: Settings) -> "SchedulingSettings":
        def read(name: str) -> str:
            return settings.get(name, DEFAULTS[name])

        try:
            grace = int(read("NOSHOW_GRACE_MINUTES"))
            offsets = tuple(int(part) for part in read("REMINDER_OFFSETS_MINUTES").split(",") if part.strip())
            hold = int(read("WAITLIST_HOLD_MINUTES"))
        except ValueError:
            raise ConfigurationError("scheduling settings must be whole numbers of minutes") from None
        if grace < 0 or hold < 1 or any(offset < 1 for offset in offsets):
            raise ConfigurationError("grace must be >= 0, hold and reminder offsets >= 1 minute")
        base_url = read("TELEHEALTH_JOIN_BASE_URL")
        if not base_url.startswith("https://"):
            raise ConfigurationError("TELEHEALTH_JOIN_BASE_URL must be an https URL")
        return cls(timedelta(minutes=grace), offsets, timedelta(minutes=hold), base_url)


def of(runtime) -> SchedulingSettings:
    # Parsed on each use: it is a handful of integers, and nothing is cached
    # on objects the kit owns.
    return SchedulingSettings.from_settings(runtime.settings)
