"""Picking the address for each channel out of a person's contact points."""
from __future__ import annotations

from typing import Any, Iterable, Mapping


def email_of(contact_points: Iterable[Mapping[str, Any]]) -> str | None:
    return next((c["value"] for c in contact_points if c["system"] == "email"), None)


def sms_number_of(contact_points: Iterable[Mapping[str, Any]]) -> str | None:
    """A number marked for SMS, else a mobile phone number."""
    points = list(contact_points)
    explicit = next((c["value"] for c in points if c["system"] == "sms"), None)
    return explicit or next((c["value"] for c in points if c["system"] == "phone" and c.get("use") == "mobile"), None)
