"""What the scheduling endpoints share: field types and response shaping."""
from __future__ import annotations

import re
from datetime import date, time, timezone

import marshmallow as ma
from flask import make_response
from marshmallow import fields, validate

from carebridge.web import TIME_ZONE, current_principal, etag_for

from ..domain.availability import WEEKDAYS
from ..domain.time_zones import is_time_zone

TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def subject() -> str:
    return current_principal().subject


def created(body: dict, location: str, version: int | None = None):
    response = make_response(body, 201)
    response.headers["Location"] = location
    if version is not None:
        response.headers["ETag"] = etag_for(version)
    return response


def _documented(kwargs: dict, openapi: dict) -> dict:
    """`kwargs` with `openapi` (how the OpenAPI document shows the field)
    under what the field's own metadata says."""
    return {**kwargs, "metadata": {**openapi, **kwargs.get("metadata", {})}}


class TimeOfDay(fields.Field):
    """"HH:MM" on the wire, datetime.time inside."""

    def __init__(self, **kwargs):
        super().__init__(**_documented(kwargs, {"type": "string", "pattern": TIME_OF_DAY.pattern,
                                                "example": "09:00"}))

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not TIME_OF_DAY.match(value):
            raise ma.ValidationError("a time of day as HH:MM (00:00 to 23:59)")
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))


class Weekday(fields.Field):
    """"monday".."sunday" on the wire, 0..6 inside."""

    def __init__(self, **kwargs):
        super().__init__(**_documented(kwargs, {"type": "string", "enum": list(WEEKDAYS), "example": "monday"}))

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else WEEKDAYS[value]

    def _deserialize(self, value, attr, data, **kwargs):
        if value not in WEEKDAYS:
            raise ma.ValidationError(f"one of {', '.join(WEEKDAYS)}")
        return WEEKDAYS.index(value)


def time_zone_field(**kwargs) -> fields.String:
    return fields.String(validate=_valid_time_zone, **_documented(kwargs, TIME_ZONE))


def _valid_time_zone(value: str) -> None:
    if not is_time_zone(value):
        raise ma.ValidationError("not an IANA time zone (for example America/New_York)")


def on_the_minute(value) -> None:
    if value.second or value.microsecond:
        raise ma.ValidationError("must be a whole minute")


# Times CareBridge can meaningfully schedule; far-off years are refused with
# 422 before date arithmetic could overflow.
EARLIEST_DAY, LATEST_DAY = date(1970, 1, 1), date(2199, 12, 31)
_IN_RANGE = "must be between 1970 and 2199"


class UtcDateTime(fields.AwareDateTime):
    """An instant with an offset in; held and answered in UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        # Checked before converting: converting year 9999 to UTC can overflow.
        if not EARLIEST_DAY <= moment.date() <= LATEST_DAY:
            raise ma.ValidationError(_IN_RANGE)
        return moment.astimezone(timezone.utc)


def moment(**kwargs) -> fields.AwareDateTime:
    """An instant with an offset; naive times are refused, never guessed."""
    return UtcDateTime(format="iso", **kwargs)


def calendar_day(**kwargs) -> fields.Date:
    return fields.Date(validate=validate.Range(min=EARLIEST_DAY, max=LATEST_DAY, error=_IN_RANGE), **kwargs)
