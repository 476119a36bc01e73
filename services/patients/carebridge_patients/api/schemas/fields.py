"""Fields and building blocks the resource schemas share: text that is
trimmed, values a domain rule normalises, and update schemas whose fields are
all optional."""
from __future__ import annotations

from typing import Callable

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.clock import utc


class Normalised(fields.String):
    """A string a domain function checks and brings to its usual form; the
    function's ValueError becomes the field's validation message."""

    def __init__(self, normalise: Callable[[str], str], **kwargs):
        super().__init__(**kwargs)
        self.normalise = normalise

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self.normalise(text)
        except ValueError as error:
            raise ma.ValidationError(str(error)) from None


class Trimmed(fields.String):
    """Text people type: surrounding spaces dropped, never blank."""

    def __init__(self, max_length: int, **kwargs):
        super().__init__(validate=validate.Length(min=1, max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class UTCDateTime(fields.AwareDateTime):
    """A moment given with any offset, kept as the same moment in UTC, so
    that answers and events spell it the same way whatever the caller sent."""

    def _deserialize(self, value, attr, data, **kwargs):
        return utc(super()._deserialize(value, attr, data, **kwargs))


def checked_by(check: Callable[..., object]) -> Callable[[object], None]:
    """A marshmallow validator from a domain check that raises ValueError."""
    def validator(value) -> None:
        try:
            check(value)
        except ValueError as error:
            raise ma.ValidationError(str(error)) from None
    return validator


def one_of(choices, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(choices), **kwargs)


def optional_one_of(choices) -> fields.String:
    return one_of(choices, load_default=None, allow_none=True)


class AllOptional:
    """Mixin for PATCH schemas: every top-level field may be left out (and
    keeps its value); a nested object or list that is sent replaces the old
    one whole, with its own required fields and defaults."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=tuple(self._declared_fields), **kwargs)


# Query strings are checked as strictly as bodies: a misspelt filter
# (`?birthdate=`) must be a 422, not silently ignored so that a search
# answers with patients the caller did not ask for.
STRICT_QUERY = {"location": "query", "unknown": ma.RAISE}
