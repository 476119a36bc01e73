"""Field types shared by the schemas."""
from __future__ import annotations

from marshmallow import fields, validate

RXNORM_CODE = validate.Regexp(r"^\d{1,10}$", error="An RxNorm code is 1 to 10 digits.")
TIME_OF_DAY = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="A time of day is HH:MM, 00:00 to 23:59.")


class IsoDate(fields.Date):
    """A date; plan documents hold dates already as ISO strings, which are
    dumped as they are."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


def text(max_length: int, *, required: bool = False, allow_none: bool = True, min_length: int = 1, **kwargs):
    """A free-text field (trimmed length checked); optional unless required."""
    return fields.String(required=required, allow_none=allow_none and not required,
                         validate=validate.Length(min=min_length, max=max_length), **kwargs)


def one_of(choices, *, required: bool = False, **kwargs):
    return fields.String(required=required, validate=validate.OneOf(choices), **kwargs)
