"""Small query helpers the service layer shares."""
from __future__ import annotations

from sqlalchemy.orm import Session

from carebridge.errors import NotFoundError


def get_or_404(session: Session, model, key, what: str):
    """The row of `model` with primary key `key`, or a 404 naming `what`."""
    found = session.get(model, key)
    if found is None:
        raise NotFoundError(f"No such {what}.")
    return found


def where_equal(query, model, filters: dict, names: tuple[str, ...]):
    """`query` narrowed to rows whose columns equal the filters given."""
    for name in names:
        if filters.get(name) is not None:
            query = query.where(getattr(model, name) == filters[name])
    return query


def among_patients(query, column, visible_patients):
    """`query` narrowed to the patients a caller may see (None: all)."""
    return query if visible_patients is None else query.where(column.in_(visible_patients))
