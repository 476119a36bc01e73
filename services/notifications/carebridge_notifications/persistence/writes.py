"""Bulk writes of a fan-out: a few statements whatever the number of
recipients and of events applied together (the consumer's hot path)."""
from __future__ import annotations

from sqlalchemy import JSON, insert
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
    INSERT; a clash fails the statement and so the transaction)."""
    if not rows:
        return
    from psycopg.types.json import Jsonb
    columns = list(rows[0])
    # JSONB on PostgreSQL is a kind of JSON (and a variant keeps its base type).
    json_columns = {name for name in columns if isinstance(table.c[name].type, JSON)}
    with driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([Jsonb(row[name]) if name in json_columns and row[name] is not None else row[name]
                                for name in columns])
