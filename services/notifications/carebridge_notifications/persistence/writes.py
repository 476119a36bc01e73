"""Bulk writes of a fan-out: a few statements whatever the number of
recipients and of events applied together (the consumer's hot path)."""
from __future__ import annotations

from operator import itemgetter

from sqlalchemy import insert
from sqlalchemy.orm import Session

from carebridge.db.driver import driver_connection

from .escalations import Escalation
from .notifications import Delivery, Notification

COPY_FROM_ROWS = 50
_NOTIFICATIONS = Notification.__table__
_DELIVERIES = Delivery.__table__


def insert_fan_out(session: Session, *, notifications: list[dict], deliveries: list[dict],
                   escalations: list[dict] = ()) -> None:
    # Complete rows, without the ORM's per-row bookkeeping (nothing here is
    # read back in this transaction).
    if escalations:
        session.execute(insert(Escalation.__table__), list(escalations))
    if session.connection().dialect.name == "postgresql" and len(deliveries) >= COPY_FROM_ROWS:
        # COPY: one statement per table for a large batch. The driver's
        # executemany would run one INSERT per row on the server, and one
        # multi-row INSERT costs more to build and parse than COPY. (A few
        # rows go faster as an executemany: one round trip, where COPY takes
        # two.)
        with driver_connection(session, "COPY notifications, deliveries") as connection:
            _copy(connection, _NOTIFICATIONS, notifications)
            _copy(connection, _DELIVERIES, deliveries)
        return
    if notifications:
        session.execute(insert(_NOTIFICATIONS), notifications)
    if deliveries:
        session.execute(insert(_DELIVERIES), deliveries)


def _copy(driver_connection, table, rows: list[dict]) -> None:
    """COPY `rows` into `table` (constraints and unique keys apply as to an
    INSERT; a clash fails the statement and so the transaction), in
    PostgreSQL's binary format: no value is written out as text and parsed
    back (a quarter of the text format's CPU per row in the driver; JSON
    documents go as jsonb, None as NULL)."""
    if not rows:
        return
    columns = tuple(rows[0])
    values_of = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    with driver_connection.cursor() as cursor:
        types = _column_types(cursor, table.name, columns)
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(values_of(row))


# (table, columns) -> the columns' type oids, as the database has them (the
# binary format needs them, and they do not change while a worker runs:
# only a migration changes a column, and a deploy restarts the workers).
_COLUMN_TYPES: dict[tuple[str, tuple[str, ...]], list[int]] = {}


def _column_types(cursor, table: str, columns: tuple[str, ...]) -> list[int]:
    key = (table, columns)
    if key not in _COLUMN_TYPES:
        found = dict(cursor.execute(
            "SELECT attname, atttypid::int FROM pg_attribute "
            "WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped", (table,)).fetchall())
        _COLUMN_TYPES[key] = [found[column] for column in columns]
    return _COLUMN_TYPES[key]
