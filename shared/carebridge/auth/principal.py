"""Who is calling: the verified subject and roles of a bearer token."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

ROLES = ("coordinator", "nurse", "physician", "specialist", "billing", "admin", "service")
# Clinical staff who see a patient only while on that patient's active care team.
CARE_TEAM_SCOPED_ROLES = frozenset({"nurse", "physician", "specialist"})
# Roles that see every patient's clinical data.
ALL_PATIENTS_ROLES = frozenset({"coordinator", "admin", "service"})
CLINICAL_ROLES = CARE_TEAM_SCOPED_ROLES | {"coordinator"}


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str]

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def practitioner_id(self) -> uuid.UUID | None:
        """Staff tokens carry the practitioner's directory id as subject."""
        try:
            return uuid.UUID(self.subject)
        except ValueError:
            return None

    @property
    def sees_all_patients(self) -> bool:
        return bool(self.roles & ALL_PATIENTS_ROLES)

    @property
    def roles_text(self) -> str:
        return ",".join(sorted(self.roles))
