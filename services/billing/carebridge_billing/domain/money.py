"""Exact money: Decimal amounts rounded half-up to cents, and amounts written
the way a patient reads them."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_SYMBOLS = {"USD": "$"}


def cents(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return cents(Decimal(amount) * Decimal(percent) / Decimal(100))


def spoken(amount: Decimal, currency: str = "USD") -> str:
    """"$1,000" for whole amounts, "$37.50" otherwise; other currencies by code."""
    amount = cents(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{currency} {text}"


def spoken_percent(percent: Decimal) -> str:
    percent = Decimal(percent)
    return f"{percent.normalize():f}%" if percent != percent.to_integral_value() else f"{int(percent)}%"
