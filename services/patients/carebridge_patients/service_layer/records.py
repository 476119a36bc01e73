"""Small helpers the use cases share: loading a record through its patient's
path or failing with 404, and marking a record as changed."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from carebridge.db import get_or_404
from carebridge.errors import NotFoundError

Record = TypeVar("Record")


def child_or_404(session: Session, model: type[Record], record_id: uuid.UUID, what: str, patient_id: uuid.UUID, *,
                 for_update: bool = False) -> Record:
    """A record that belongs to one patient, found through that patient's
    path. Another patient's record gets the same 404 as a missing one, so the
    answer does not tell that it exists."""
    record = get_or_404(session, model, record_id, what, for_update=for_update)
    if record.patient_id != patient_id:
        raise NotFoundError(f"No {what} with this id.")
    return record


def touch(record, at: datetime) -> None:
    """Mark `record` as changed even when nothing in its own row differs (a
    care team whose membership changed), so its version moves on."""
    record.updated_at = at
    flag_modified(record, "updated_at")


def apply(record, values: dict) -> None:
    for name, value in values.items():
        setattr(record, name, value)
