"""FHIR search parameters turned into SQL: dates with prefixes
(`ge2026-03-01`, `lt2026-03-02T10:00:00Z`, `2026-03`), tokens (a comma
means "or"), references (`Patient/<id>` or the bare id)."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Date, and_

from ..errors import RuleViolation

PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le")
_DATE = re.compile(r"^(?P<prefix>eq|ne|gt|lt|ge|le)?(?P<value>\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                   r"(Z|[+-]\d{2}:\d{2})?)?)?)?)$")
DATE_PATTERN = _DATE.pattern


def _bounds(text: str) -> tuple[datetime, datetime]:
    """The instants a (partial) FHIR date or dateTime covers: [start, end)."""
    if len(text) == 4:
        start = datetime(int(text), 1, 1, tzinfo=timezone.utc)
        return start, start.replace(year=start.year + 1)
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:7])
        start = datetime(year, month, 1, tzinfo=timezone.utc)
        return start, (start.replace(year=year + 1, month=1) if month == 12 else start.replace(month=month + 1))
    if len(text) == 10:
        start = datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=timezone.utc)
        return start, start + timedelta(days=1)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    # To the second when the seconds are written (hh:mm:ss), else the minute.
    precision = timedelta(seconds=1) if re.match(r"\d{2}:\d{2}:\d{2}", text[11:]) else timedelta(minutes=1)
    return moment, moment + precision


def date_condition(column, text: str, *, name: str):
    """The SQL condition of one date parameter's value on `column` (a date or
    a datetime column)."""
    found = _DATE.match(text or "")
    if not found:
        raise RuleViolation(f"{name}={text!r} is not a FHIR date (an optional prefix eq, ne, gt, lt, ge or le, "
                            "then YYYY, YYYY-MM, YYYY-MM-DD or a dateTime with its zone)",
                            errors={name: ["not a FHIR date"]})
    prefix = found["prefix"] or "eq"
    try:
        start, end = _bounds(found["value"])
    except ValueError:
        raise RuleViolation(f"{name}={text!r} is not a valid date", errors={name: ["not a valid date"]}) from None
    if isinstance(column.type, Date):
        start, end = start.date(), (end - timedelta(microseconds=1)).date() + timedelta(days=1)
    return {
        "eq": and_(column >= start, column < end),
        "ne": (column < start) | (column >= end),
        "gt": column >= end,
        "ge": column >= start,
        "lt": column < start,
        "le": column < end,
    }[prefix]


def reference_uuid(text: str, resource_type: str, *, name: str) -> uuid.UUID:
    """The id a reference parameter names (`Patient/<id>`, a URL ending so,
    or the bare id)."""
    from .elements import reference_id
    found = reference_id(text, resource_type)
    try:
        return uuid.UUID(found or "")
    except ValueError:
        raise RuleViolation(f"{name} must name a {resource_type} ({resource_type}/<id>)",
                            errors={name: [f"not a {resource_type} reference"]}) from None


def tokens(text: str) -> list[str]:
    """`a,b` means a or b; `system|code` keeps the code."""
    return [part.split("|")[-1] for part in (text or "").split(",") if part.split("|")[-1]]


def date_range(values: list[str], *, name: str) -> tuple[datetime | None, datetime | None]:
    """The [start, end) a list of date parameters narrows to (for what is
    computed rather than stored): `ge`/`gt` raise the start, `le`/`lt` lower
    the end, a plain date (`eq`) does both."""
    start = end = None
    for text in values or []:
        found = _DATE.match(text or "")
        if not found or found["prefix"] == "ne":
            raise RuleViolation(f"{name}={text!r}: use eq, gt, ge, lt or le and a FHIR date",
                                errors={name: ["not a FHIR date range"]})
        try:
            low, high = _bounds(found["value"])
        except ValueError:
            raise RuleViolation(f"{name}={text!r} is not a valid date", errors={name: ["not a valid date"]}) from None
        prefix = found["prefix"] or "eq"
        lower = {"eq": low, "ge": low, "gt": high}.get(prefix)
        upper = {"eq": high, "le": high, "lt": low}.get(prefix)
        if lower is not None:
            start = lower if start is None else max(start, lower)
        if upper is not None:
            end = upper if end is None else min(end, upper)
    return start, end
