"""The catalogue of appointment (visit) types.

Visit types are data per clinical setting (issue 25, item 14): the table
`appointment_types`, seeded by a migration with the eight types of the kit's
shared vocabulary (`carebridge.vocabulary.appointment_types`, which billing's
fee schedule and the care-plan templates name), to which administrators add
types and which they retire, per setting. A type is booked only at a
location of its setting. Appointments copy the service code, setting and
duration they were booked with, so history does not change when the
catalogue does."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from carebridge.events.catalogue.common import CLINICAL_SETTINGS
from carebridge.vocabulary.appointment_types import APPOINTMENT_TYPES

# An appointment never runs longer than this, nor keeps a longer buffer
# after it; slot search and conflict queries rely on both to bound how far
# back a visit overlapping a moment can have started.
MAX_DURATION_MINUTES = 8 * 60
MAX_BUFFER_MINUTES = 120


@dataclass(frozen=True)
class AppointmentType:
    code: str
    display: str
    service_code: str
    duration_minutes: int
    setting: str
    billing_category: str
    active: bool = True

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def telehealth(self) -> bool:
        return self.setting == "home-telehealth"


class UnknownAppointmentType(LookupError):
    pass


class AppointmentTypeCatalogue:
    def __init__(self, types: list[AppointmentType]):
        self._by_code = {t.code: t for t in types}
        if len(self._by_code) != len(types):
            raise ValueError("appointment type codes must be unique")
        for t in types:
            if t.setting not in CLINICAL_SETTINGS:
                raise ValueError(f"appointment type {t.code!r} has an unknown setting {t.setting!r}")
            if not 0 < t.duration_minutes <= MAX_DURATION_MINUTES:
                raise ValueError(f"appointment type {t.code!r} has an impossible duration")

    def get(self, code: str) -> AppointmentType:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownAppointmentType(code) from None

    def bookable(self, code: str) -> AppointmentType:
        """The type, if it is known and may still be booked."""
        found = self.get(code)
        if not found.active:
            raise UnknownAppointmentType(code)
        return found

    def knows(self, code: str) -> bool:
        return code in self._by_code

    def all(self) -> list[AppointmentType]:
        return sorted(self._by_code.values(), key=lambda t: t.code)


def seed_rows() -> list[dict]:
    """The types the catalogue starts with (the migration's seed): the
    shared vocabulary's eight."""
    return [{"code": t.code, "display": t.name, "service_code": t.service_code, "duration_minutes": t.minutes,
             "setting": t.setting, "billing_category": t.billing_category}
            for t in APPOINTMENT_TYPES.values()]
