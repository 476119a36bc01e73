"""Field types and small schemas the billing API shares."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import marshmallow as ma
from marshmallow import fields, validate

from ..domain.money import cents
from ..reference import describe_reason

MAX_AMOUNT = Decimal("999999999999.99")

# Inputs are checked for shape here, so that nothing a client sends can
# reach the database as a value it refuses (PostgreSQL rejects NUL in text)
# and turn a bad request into a 500.
CODE = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,59}$", error="Letters, digits, '.', '_' and '-' only.")
SERVICE_CODE = validate.Regexp(r"^[A-Za-z0-9]{1,20}$", error="A service code is letters and digits (CPT/HCPCS).")
MEMBER_NUMBER = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9 ._\-]{0,59}$",
                                error="Letters, digits, spaces, '.', '_' and '-' only.")
_NO_CONTROL_CHARACTERS = validate.Regexp(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
                                         error="Control characters are not allowed.")
_DATES = validate.Range(min=date(1900, 1, 1), max=date(2199, 12, 31))


def text(max_length: int, **kwargs):
    """Free text staff write (a summary, a note)."""
    return fields.String(validate=[validate.Length(min=1, max=max_length), _NO_CONTROL_CHARACTERS], **kwargs)


def a_date(**kwargs):
    """A calendar date within the years billing deals with."""
    return fields.Date(validate=_DATES, **kwargs)


class Amount(fields.Decimal):
    """Dollars and cents as a decimal string; more than two decimal places is
    refused rather than silently rounded."""

    # How the OpenAPI document spells it (the range is documented from the validator).
    PATTERN = r"^\d{1,12}(\.\d{1,2})?$"
    EXAMPLE = "12.30"

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Range(min=0, max=MAX_AMOUNT))
        kwargs["metadata"] = {"pattern": self.PATTERN, "example": self.EXAMPLE, **kwargs.get("metadata", {})}
        super().__init__(as_string=True, allow_nan=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        try:
            exact = number == number.quantize(Decimal("0.01"))
        except InvalidOperation:  # far too many digits to be cents (1e100): not an amount at all
            raise ma.ValidationError("Not a valid amount.") from None
        if not exact:
            raise ma.ValidationError("Use at most two decimal places.")
        return cents(number)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else super()._serialize(cents(value), attr, obj, **kwargs)


class Percentage(Amount):
    PATTERN = r"^\d{1,3}(\.\d{1,2})?$"
    EXAMPLE = "20.00"

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(min=0, max=100), **kwargs)


class MoneySchema(ma.Schema):
    """An exact amount with its currency, e.g. {"amount": "12.30", "currency": "USD"}."""
    amount = Amount(required=True)
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"))


class ReasonSchema(ma.Schema):
    code = fields.String(required=True)
    description = fields.String(required=True)


def money(amount, currency: str) -> dict | None:
    return None if amount is None else {"amount": amount, "currency": currency}


def reasons(codes) -> list[dict]:
    return [{"code": code, "description": describe_reason(code)} for code in codes or ()]


def nested_money(**kwargs):
    return fields.Nested(MoneySchema, **kwargs)
