"""carebridge.db.driver: errors on the driver's own connection come out as
from session.execute. This pins the SQLAlchemy behaviour the module builds
on (DBAPIError.instance, Dialect.is_disconnect, Connection.invalidate), so
an upgrade that changes it fails here rather than in production."""
import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from carebridge.db.driver import driver_connection
from kit_toy_service.models import Toy

INSERT = "INSERT INTO toys (id, patient_id, name, version) VALUES ({0}, {0}, {0}, {0})"


def _insert(session, connection, name: str) -> None:
    # The driver's own placeholders (qmark for sqlite3, format for psycopg).
    marker = "?" if session.get_bind().dialect.name == "sqlite" else "%s"
    cursor = connection.cursor()
    try:
        cursor.execute(INSERT.format(marker), (uuid.uuid4().hex, uuid.uuid4().hex, name, 1))
    finally:
        cursor.close()


def test_a_refused_statement_is_sqlalchemys_integrity_error_and_the_session_goes_on(runtime):
    session = runtime.db.sessions()
    try:
        session.add(Toy(patient_id=uuid.uuid4(), name="taken"))
        session.flush()
        with pytest.raises(IntegrityError) as raised:
            with driver_connection(session, "INSERT INTO toys") as connection:
                _insert(session, connection, "taken")
        error = raised.value
        assert isinstance(error.orig, session.get_bind().dialect.loaded_dbapi.IntegrityError)
        assert error.__cause__ is error.orig
        assert error.statement == "INSERT INTO toys" and not error.connection_invalidated
        assert not session.connection().invalidated
        session.rollback()
        assert session.scalar(select(func.count()).select_from(Toy)) == 0
    finally:
        session.close()


def test_other_errors_pass_through_unchanged(runtime):
    with runtime.db.sessions() as session:
        with pytest.raises(KeyError):
            with driver_connection(session):
                raise KeyError("not the driver's")


def test_a_lost_connection_is_an_invalidated_operational_error_and_the_next_transaction_reconnects(runtime):
    if runtime.db.dialect != "postgresql":
        pytest.skip("a server connection to lose: PostgreSQL (--db=postgresql)")
    session = runtime.db.sessions()
    try:
        pid = session.scalar(text("SELECT pg_backend_pid()"))
        with runtime.db.engine.connect() as other:
            assert other.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(OperationalError) as raised:
            with driver_connection(session, "INSERT INTO toys") as connection:
                _insert(session, connection, "after the loss")
        assert raised.value.connection_invalidated
        assert isinstance(raised.value.orig, runtime.db.engine.dialect.loaded_dbapi.OperationalError)
        assert session.connection().invalidated
        session.rollback()
        assert session.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        session.close()
