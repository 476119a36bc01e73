"""What a related person may be told about the patient, and by whose say-so."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

CATEGORIES = ("appointments", "care_plan", "billing")


@dataclass(frozen=True)
class Consent:
    appointments: bool = False
    care_plan: bool = False
    billing: bool = False
    recorded_by: UUID | None = None
    recorded_at: datetime | None = None
    withdrawn_by: UUID | None = None
    withdrawn_at: datetime | None = None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def scopes(self) -> dict[str, bool]:
        return {category: getattr(self, category) for category in CATEGORIES}


def granted(scopes: dict[str, bool], *, by: UUID | None, at: datetime) -> Consent:
    """A new consent decision replaces the previous one, a withdrawal included."""
    return Consent(**{c: bool(scopes.get(c, False)) for c in CATEGORIES}, recorded_by=by, recorded_at=at)


def withdrawn(current: Consent, *, by: UUID | None, at: datetime) -> Consent:
    """Nothing may be shared from `at` on. Who granted what, and when, stays
    on record beside the withdrawal. Withdrawing twice changes nothing."""
    if current.is_withdrawn:
        return current
    return Consent(recorded_by=current.recorded_by, recorded_at=current.recorded_at, withdrawn_by=by, withdrawn_at=at)
