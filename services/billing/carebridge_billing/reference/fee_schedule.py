"""The practice's prices by service code, with the price list in force on a date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from carebridge.vocabulary.appointment_types import BILLING_CATEGORIES

from .files import load


@dataclass(frozen=True)
class FeeScheduleEntry:
    service_code: str
    description: str
    category: str
    price: Decimal
    currency: str
    effective_from: date


class FeeSchedule:
    def __init__(self, price_lists: list[tuple[date, dict[str, FeeScheduleEntry]]]):
        # Newest first, so the first list that started on or before a date is the one in force.
        self._lists = sorted(price_lists, key=lambda item: item[0], reverse=True)

    def in_force(self, on: date) -> dict[str, FeeScheduleEntry]:
        for starts, entries in self._lists:
            if starts <= on:
                return entries
        return {}

    def price_on(self, service_code: str, on: date) -> FeeScheduleEntry | None:
        return self.in_force(on).get(service_code)


def parse(raw: dict) -> FeeSchedule:
    currency = raw["currency"]
    lists = []
    for schedule in raw["schedules"]:
        starts = date.fromisoformat(schedule["effective_from"])
        entries = {}
        for item in schedule["entries"]:
            if item["category"] not in BILLING_CATEGORIES:
                raise ValueError(f"fee schedule: unknown category {item['category']!r}")
            entries[item["service_code"]] = FeeScheduleEntry(
                service_code=item["service_code"], description=item["description"], category=item["category"],
                price=Decimal(item["price"]), currency=currency, effective_from=starts)
        lists.append((starts, entries))
    return FeeSchedule(lists)


@lru_cache(maxsize=1)
def fee_schedule() -> FeeSchedule:
    return parse(load("fee_schedule.json"))
