"""The shared appointment-type table (owned by scheduling; see the data file)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..domain.categories import BILLING_CATEGORIES
from .files import load


@dataclass(frozen=True)
class AppointmentType:
    code: str
    service_code: str
    minutes: int
    setting: str
    category: str


@lru_cache(maxsize=1)
def appointment_types() -> dict[str, AppointmentType]:
    types = {}
    for item in load("appointment_types.json")["appointment_types"]:
        if item["category"] not in BILLING_CATEGORIES:
            raise ValueError(f"appointment types: unknown category {item['category']!r}")
        types[item["code"]] = AppointmentType(**item)
    return types
