"""Descriptions of the X12 claim adjustment reason codes payers send."""
from __future__ import annotations

from functools import lru_cache

from .files import load


@lru_cache(maxsize=1)
def _reasons() -> dict[str, str]:
    return load("claim_adjustment_reasons.json")["reasons"]


def describe_reason(code: str) -> str:
    return _reasons().get(code, "See the payer's remittance advice for this code.")
