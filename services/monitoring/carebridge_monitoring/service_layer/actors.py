"""Who makes a change: a signed-in person (or gateway), or the system
reacting to an event or a job."""
from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    subject: str
    practitioner_id: uuid.UUID | None

    @classmethod
    def of(cls, principal) -> "Actor":
        return cls(principal.subject, principal.practitioner_id)


SYSTEM = Actor("system", None)
