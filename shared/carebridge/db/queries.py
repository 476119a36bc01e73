"""Small query helpers every service layer uses: load a row or answer 404
(or only make sure it is there), and narrow a SELECT by the filters a list
endpoint was given and by the patients the caller may see."""
from __future__ import annotations

import uuid
from typing import Iterable, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFoundError

Row = TypeVar("Row")


def get_or_404(session: Session, model: type[Row], key: uuid.UUID, what: str, *, for_update: bool = False) -> Row:
    """The row of `model` with primary key `key` (locked FOR UPDATE if
    asked), or a 404 naming `what` ("care plan")."""
    found = session.get(model, key, with_for_update=for_update or None)
    if found is None:
        raise NotFoundError(f"No {what} with this id.")
    return found


def exists_or_404(session: Session, model, key: uuid.UUID, what: str) -> None:
    """The same 404 as `get_or_404` when there is no such row, for a caller
    that needs only to know the row is there (a list under it): its id is
    read, not the whole row made into an object."""
    primary_key, = model.__table__.primary_key.columns
    if session.scalar(select(primary_key).where(primary_key == key)) is None:
        raise NotFoundError(f"No {what} with this id.")


def where_equal(statement, model, filters: dict, names: Iterable[str]):
    """`statement` narrowed to rows whose columns `names` equal the filters
    given (a filter left out or None does not narrow)."""
    for name in names:
        if filters.get(name) is not None:
            statement = statement.where(getattr(model, name) == filters[name])
    return statement


def among_patients(statement, patient_column, visible_patients):
    """`statement` narrowed to the patients a caller may see
    (`access.patients_visible_to`: a SELECT of ids, or None for all)."""
    return statement if visible_patients is None else statement.where(patient_column.in_(visible_patients))
