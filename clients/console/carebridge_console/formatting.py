"""Jinja filters and tests: times in the signed-in person's zone, money."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import session

from .gateway import ServiceError


def when(value) -> str:
    """'Mon 14 Dec 2026, 09:00 CST' in the signed-in person's time zone."""
    if not value:
        return ""
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%a %d %b %Y, %H:%M")
    try:
        zone = ZoneInfo((session.get("user") or {}).get("time_zone") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%a %d %b %Y, %H:%M %Z")


def money(value) -> str:
    if not value:
        return ""
    if isinstance(value, dict):
        amount, currency = value.get("amount"), value.get("currency", "USD")
    else:
        amount, currency = value, "USD"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


def activity(value: dict) -> str:
    """What an activity is, in words: its description, else what its detail says."""
    if value.get("description"):
        return value["description"]
    kind = value.get("kind") or "activity"
    detail = value.get(kind.replace("-", "_")) or {}
    if kind == "medication":
        return f'{detail.get("name", "a medication")} {detail.get("dose", "")}, {detail.get("frequency", "")}'
    if kind == "follow-up":
        text = f'Follow-up visit: {(detail.get("appointment_type_code") or "").replace("-", " ")}'
        return text + (f' ({detail["purpose"]})' if detail.get("purpose") else "")
    if kind == "therapy":
        return (f'Therapy: {(detail.get("appointment_type_code") or "").replace("-", " ")}, '
                f'{detail.get("sessions_per_week", "?")} a week for {detail.get("duration_weeks", "?")} weeks')
    if kind == "diet":
        return f'Diet: {detail.get("recommendation", "")}'
    if kind == "education":
        return f'Learn about: {detail.get("topic", "")}'
    if kind == "check-in":
        return f'Check-in every {detail.get("interval_days", "?")} days ({detail.get("method", "")})'
    return value.get("instructions") or kind


def field_errors(errors, prefix: str = "") -> list[str]:
    """A problem's `errors` (nested by field, list index, field...) as lines
    like 'activities 0 medication frequency: Must be one of: ...'."""
    lines = []
    if isinstance(errors, dict):
        for name, value in errors.items():
            lines += field_errors(value, f"{prefix} {name}".strip())
    elif isinstance(errors, list) and all(isinstance(e, str) for e in errors):
        lines.append(f'{prefix}: {" ".join(errors)}' if prefix else " ".join(errors))
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            lines += field_errors(value, f"{prefix} {index}".strip())
    else:
        lines.append(f"{prefix}: {errors}" if prefix else str(errors))
    return lines


def register(app) -> None:
    app.add_template_filter(field_errors)
    app.add_template_filter(activity)
    app.add_template_filter(when)
    app.add_template_filter(money)
    app.add_template_test(lambda value: isinstance(value, ServiceError), "failed")
