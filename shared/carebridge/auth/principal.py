"""Who is calling: the verified subject and roles of a bearer token."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property

from .roles import ALL_PATIENTS_ROLES


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str]
    # The calling service's name, for another service's client-credentials
    # identity (subject `service:<name>`); None for a person.
    service: str | None = None

    def has_any(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    # The derived values below are asked several times on every request
    # (the care-team check, the audit record) of a principal that the token
    # verifier keeps for as long as it keeps the token: worked out once each.
    # (cached_property writes the instance's __dict__, which a frozen
    # dataclass allows; equality and hashing use the fields only.)
    @cached_property
    def practitioner_id(self) -> uuid.UUID | None:
        """Staff tokens carry the practitioner's directory id as subject."""
        try:
            return uuid.UUID(self.subject)
        except ValueError:
            return None

    @cached_property
    def sees_all_patients(self) -> bool:
        return self.has_any(*ALL_PATIENTS_ROLES)

    @cached_property
    def roles_text(self) -> str:
        return ",".join(sorted(self.roles))
