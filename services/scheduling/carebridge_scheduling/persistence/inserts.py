"""INSERT ... ON CONFLICT DO NOTHING on both databases."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_if_absent(session: Session, table, values: dict) -> bool:
    """Insert one row unless its key is taken (by anyone, committed or
    committing); True if this call inserted it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING, not rowcount: drivers do not all report a row count here.
    key = list(table.primary_key.columns)[0]
    result = session.execute(insert(table).values(**values).on_conflict_do_nothing().returning(key))
    return result.first() is not None
