"""Sample event data built from the catalogue schemas themselves, so that
every event type and version gets an envelope without anyone writing one by
hand (and a schema change cannot leave its sample behind)."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

import marshmallow as ma
from marshmallow import fields, validate


def _choice(field: fields.Field):
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            return list(validator.choices)[0]
    return None


def _range_value(field: fields.Field, default: int) -> int:
    for validator in field.validators:
        if isinstance(validator, validate.Range) and validator.min is not None:
            return max(default, validator.min)
    return default


def sample_value(field: fields.Field):
    choice = _choice(field)
    if choice is not None:
        return choice
    if isinstance(field, fields.Nested):
        schema = field.schema
        return sample_data(type(schema))
    if isinstance(field, fields.List):
        return [sample_value(field.inner)]
    if isinstance(field, fields.UUID):
        return uuid.uuid4()
    if isinstance(field, (fields.AwareDateTime, fields.DateTime)):
        return datetime(2026, 12, 1, 15, 30, tzinfo=timezone.utc)
    if isinstance(field, fields.Date):
        return date(2026, 12, 1)
    if isinstance(field, fields.Boolean):
        return True
    if isinstance(field, fields.Decimal):
        return Decimal("10.00")
    if isinstance(field, fields.Integer):
        return _range_value(field, 1)
    if isinstance(field, fields.Float):
        return 1.0
    if isinstance(field, fields.Dict):
        return {}
    if isinstance(field, fields.String):
        for validator in field.validators:
            if isinstance(validator, validate.Regexp):
                pattern = validator.regex.pattern
                if "[A-Z]{3}" in pattern:
                    return "USD"
                if ":[0-5]" in pattern:
                    return "08:00"
                hexadecimal = re.fullmatch(r"\^\[0-9a-f\]\{(\d+)\}\$", pattern)
                if hexadecimal:
                    return "0" * int(hexadecimal.group(1))
        return "sample-code"
    raise TypeError(f"no sample for {type(field).__name__}")


def sample_data(schema_class: type[ma.Schema]) -> dict:
    """Every field filled, optional ones included, with values the schema accepts."""
    schema = schema_class()
    return {field.data_key or name: sample_value(field)
            for name, field in schema.fields.items() if not field.dump_only}
