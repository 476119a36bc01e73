"""The driver's own connection, inside a session's transaction, for the few
hot paths where SQLAlchemy's work per statement costs more than the statement
(the audit append on every patient read, the fan-out's COPY). Errors come out
as SQLAlchemy's, exactly as from `session.execute` (IntegrityError,
OperationalError with a lost connection invalidated, ...), so callers and the
kit's error handling cannot tell the difference."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.orm import Session


@contextmanager
def driver_connection(session: Session, statement: str = "") -> Iterator:
    connection = session.connection()
    try:
        yield connection.connection.driver_connection
    except connection.dialect.loaded_dbapi.Error as error:
        connection._handle_dbapi_exception(error, statement, None, None, None)
