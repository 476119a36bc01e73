"""The driver's own connection, inside a session's transaction, for the few
hot paths where SQLAlchemy's work per statement costs more than the statement
(the audit append on every patient read, the fan-out's COPY).

A driver error comes out as SQLAlchemy's exception for it, as from
`session.execute` (IntegrityError, OperationalError, ... with the driver's
error as `orig`), and a lost connection is invalidated and flagged
`connection_invalidated`, so callers and the kit's error handling (the
consumer's retry, the API's problem answers) cannot tell the difference.
That is done with SQLAlchemy's public pieces: `DBAPIError.instance` (the
dialect's translation of driver errors), `Dialect.is_disconnect` and
`Connection.invalidate`. Two things `session.execute` does besides are not
done here: `handle_error` listeners are not called (the kit registers none)
and the rest of the pool is not marked stale after a disconnect (the kit
pings idle connections on checkout: engine.py). tests/unit/test_driver_connection.py
pins this behaviour on SQLite and PostgreSQL.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


@contextmanager
def driver_connection(session: Session, statement: str = "", connection=None) -> Iterator:
    """The driver's connection of the session's transaction; `statement`
    names what is run on it in the error raised if it fails. `connection`:
    the session's connection, when the caller has it already (asking the
    session again costs a walk through its transaction's states)."""
    connection = connection if connection is not None else session.connection()
    dialect = connection.dialect
    try:
        yield connection.connection.driver_connection
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, None)
        wrapped = DBAPIError.instance(statement, None, error, dialect.loaded_dbapi.Error,
                                      hide_parameters=True, connection_invalidated=lost, dialect=dialect)
        if lost:
            connection.invalidate(error)
        raise wrapped from error
