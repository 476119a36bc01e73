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


def register(app) -> None:
    app.add_template_filter(when)
    app.add_template_filter(money)
    app.add_template_test(lambda value: isinstance(value, ServiceError), "failed")
