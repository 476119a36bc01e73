"""Rules of the staff directory."""
from __future__ import annotations

import re

NPI = re.compile(r"^\d{10}$")
# The NPI check digit is a Luhn digit over the number prefixed with the
# health-industry prefix 80840 (CMS, NPI check digit standard).
_NPI_PREFIX = "80840"


def check_specialty(role: str, specialty: str | None) -> None:
    if role == "specialist" and not specialty:
        raise ValueError("A specialist needs a specialty.")


def check_npi(npi: str) -> str:
    if not NPI.match(npi) or not _luhn_valid(_NPI_PREFIX + npi):
        raise ValueError("Not a valid 10-digit National Provider Identifier.")
    return npi


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
