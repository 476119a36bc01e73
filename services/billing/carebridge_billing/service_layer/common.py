"""Small helpers every use case needs."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm.attributes import flag_modified

from carebridge import clock
from carebridge.errors import RuleViolation

# Who did it, when no person did: the payer jobs and event handlers.
SYSTEM = "system"


def today() -> date:
    return clock.now().date()


def refuse(field: str, message: str):
    """A 422 naming the field whose value a rule refuses."""
    return RuleViolation(message, errors={field: [message]})


def touch(row) -> None:
    """Mark a versioned row changed now, so its version (ETag) moves even
    when only rows beside it changed (copays, notes, amounts met)."""
    row.updated_at = clock.now()
    flag_modified(row, "updated_at")
