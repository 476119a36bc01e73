"""This service's own settings (environment variables prefixed CAREPLANS_,
read through the kit's Settings.get)."""
from __future__ import annotations

from dataclasses import dataclass

from carebridge.config import ConfigurationError
from carebridge.service import Runtime


@dataclass(frozen=True)
class CarePlanSettings:
    # Missed doses of one medication within the window that open an
    # adherence review task.
    missed_dose_threshold: int = 3
    adherence_window_days: int = 7
    # When the outreach after a missed visit is due (an urgent task).
    outreach_due_hours: int = 24
    # When the check-in after a completed visit is due.
    visit_check_in_due_hours: int = 48
    # When an adherence review is due.
    adherence_review_due_hours: int = 72

    @classmethod
    def from_settings(cls, settings) -> "CarePlanSettings":
        values = {}
        for name, default in cls.__dataclass_fields__.items():
            raw = settings.get(name.upper())
            if raw is None:
                continue
            try:
                values[name] = int(raw)
            except ValueError:
                raise ConfigurationError(f"CAREPLANS_{name.upper()} must be a whole number") from None
            if values[name] < 1:
                raise ConfigurationError(f"CAREPLANS_{name.upper()} must be at least 1")
        return cls(**values)


def careplan_settings(session) -> CarePlanSettings:
    return CarePlanSettings.from_settings(Runtime.of(session).settings)
