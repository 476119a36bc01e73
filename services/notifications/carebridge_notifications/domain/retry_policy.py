"""How long a failed delivery waits before its next attempt: doubling from a
base delay up to a ceiling, for a bounded number of attempts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_seconds: float = 30.0
    max_seconds: float = 3600.0

    def delay_after(self, attempts: int) -> timedelta:
        """The pause after the `attempts`-th failed attempt (1-based)."""
        return timedelta(seconds=min(self.base_seconds * 2 ** (attempts - 1), self.max_seconds))

    def gives_up_after(self, attempts: int) -> bool:
        return attempts >= self.max_attempts

    def next_attempt(self, attempts: int, now: datetime) -> datetime:
        return now + self.delay_after(attempts)
