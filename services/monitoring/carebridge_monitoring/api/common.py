"""What the monitoring endpoints share: field types and response shaping."""
from __future__ import annotations

from datetime import date, timezone
from zoneinfo import available_timezones

import marshmallow as ma
from flask import make_response
from marshmallow import fields, validate

from carebridge.web import TIME_ZONE, current_principal, etag_for

from ..service_layer.actors import Actor

EARLIEST_DAY, LATEST_DAY = date(1970, 1, 1), date(2199, 12, 31)
_IN_RANGE = "must be between 1970 and 2199"


def actor() -> Actor:
    return Actor.of(current_principal())


def created(body: dict, location: str, version: int | None = None):
    response = make_response(body, 201)
    response.headers["Location"] = location
    if version is not None:
        response.headers["ETag"] = etag_for(version)
    return response


class UtcDateTime(fields.AwareDateTime):
    """An instant with an offset in; held and answered in UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_DAY <= moment.date() <= LATEST_DAY:
            raise ma.ValidationError(_IN_RANGE)
        return moment.astimezone(timezone.utc)


def moment(**kwargs) -> fields.AwareDateTime:
    """An instant with an offset; naive times are refused, never guessed."""
    return UtcDateTime(format="iso", **kwargs)


def calendar_day(**kwargs) -> fields.Date:
    return fields.Date(validate=validate.Range(min=EARLIEST_DAY, max=LATEST_DAY, error=_IN_RANGE), **kwargs)


def _valid_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ma.ValidationError("not an IANA time zone (for example America/New_York)")


def time_zone_field(**kwargs) -> fields.String:
    metadata = {**TIME_ZONE, **kwargs.pop("metadata", {})}
    return fields.String(validate=_valid_time_zone, metadata=metadata, **kwargs)


def value_field(**kwargs) -> fields.Decimal:
    """A measured value: a JSON number, answered as a string (exact)."""
    return fields.Decimal(as_string=True, allow_nan=False, places=2,
                          metadata={"type": "string", "pattern": r"^-?\d+\.\d{2}$"}, **kwargs)
