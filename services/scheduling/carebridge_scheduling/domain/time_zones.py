"""IANA time zones, checked once and shared."""
from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The zone called `name`; ValueError for a name that is not an IANA zone."""
    if not name or name != name.strip() or len(name) > 64:
        raise ValueError("not an IANA time zone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError("not an IANA time zone") from None


def is_time_zone(name: str) -> bool:
    try:
        zone(name)
    except ValueError:
        return False
    return True
