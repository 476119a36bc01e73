"""How long to wait before trying a payer that did not take a submission."""
from __future__ import annotations

from datetime import timedelta


def retry_delay(attempts: int) -> timedelta:
    """5 minutes after the first failed attempt, then 10, 20... at most 6
    hours apart, never giving up: the submission stays visible meanwhile."""
    return min(timedelta(minutes=5) * (2 ** min(max(0, attempts - 1), 10)), timedelta(hours=6))
