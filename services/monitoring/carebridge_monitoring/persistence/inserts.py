"""INSERT ... ON CONFLICT DO NOTHING on both databases: the way duplicate
readings, days already counted and alerts of an open episode are left out,
settled by the database's unique indexes whatever the races."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_conflicts(session: Session, model, **conflict):
    """An INSERT of `model` that skips rows a unique index already holds
    (`index_elements=[...]`, `index_where=...` for a partial index)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(**conflict)
