"""Who makes a change: a signed-in person, or the system reacting to an event."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

# Who may override a contraindicated or major medication safety finding.
OVERRIDING_ROLES = ("physician", "nurse")


@dataclass(frozen=True)
class Actor:
    subject: str
    roles: str
    practitioner_id: uuid.UUID | None

    @classmethod
    def of(cls, principal) -> "Actor":
        return cls(principal.subject, principal.roles_text, principal.practitioner_id)

    @property
    def is_system(self) -> bool:
        return self.subject == SYSTEM.subject


SYSTEM = Actor("system", "system", None)
