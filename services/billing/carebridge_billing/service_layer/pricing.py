"""Which service is meant, its price and its billing category."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from carebridge.vocabulary.appointment_types import APPOINTMENT_TYPES

from ..reference import FeeScheduleEntry, fee_schedule
from .common import refuse


@dataclass(frozen=True)
class PricedService:
    entry: FeeScheduleEntry
    category: str
    appointment_type_code: str | None


def priced_service(*, on: date, service_code: str | None = None,
                   appointment_type_code: str | None = None) -> PricedService:
    """The fee-schedule entry in force on `on` for a service code or an
    appointment type; the appointment type, when known, decides the category
    (a cardiology follow-up bills 99214 but is a specialist visit)."""
    category = None
    if appointment_type_code is not None:
        kind = APPOINTMENT_TYPES.get(appointment_type_code)
        if kind is None:
            if service_code is None:
                raise refuse("appointment_type_code", "Not a known appointment type.")
        else:
            if service_code is not None and service_code != kind.service_code:
                raise refuse("service_code", f"The appointment type {appointment_type_code} bills "
                                             f"{kind.service_code}, not {service_code}.")
            service_code, category = kind.service_code, kind.billing_category
    if service_code is None:
        raise refuse("service_code", "Give a service_code or an appointment_type_code.")
    entry = fee_schedule().price_on(service_code, on)
    if entry is None:
        raise refuse("service_code", "The fee schedule has no price for this service code on this date.")
    return PricedService(entry=entry, category=category or entry.category,
                         appointment_type_code=appointment_type_code)
