"""Care-team membership periods: from a start, until an optional end
(exclusive). A period whose end equals its start never covered any moment:
that is how a membership planned for the future is called off."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime | None = None

    def __post_init__(self):
        if self.end is not None and self.end < self.start:
            raise ValueError("A period cannot end before it starts.")

    def covers(self, at: datetime) -> bool:
        return self.start <= at and (self.end is None or at < self.end)

    def overlaps(self, other: "Period") -> bool:
        if self.is_empty or other.is_empty:
            return False
        starts_before_other_ends = other.end is None or self.start < other.end
        ends_after_other_starts = self.end is None or other.start < self.end
        return starts_before_other_ends and ends_after_other_starts

    @property
    def is_empty(self) -> bool:
        return self.end is not None and self.end == self.start

    def ended_by(self, at: datetime) -> "Period":
        """This period cut short at `at` (never before its start): what
        ending a membership now does, whether it began already or not."""
        if self.end is not None and self.end <= at:
            return self
        return Period(self.start, max(at, self.start))
