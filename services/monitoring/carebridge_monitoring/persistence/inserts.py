"""INSERT ... ON CONFLICT DO NOTHING on both databases: the way duplicate
readings, days already counted and alerts of an open episode are left out,
settled by the database's unique indexes whatever the races."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_conflicts(session: Session, model, **conflict):
    """An INSERT of `model` that skips rows a unique index already holds
    (`index_elements=[...]`, `index_where=...` for a partial index)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(**conflict)


# PostgreSQL: a batch's rows as one array per column, unnested by the server.
# The statement's text is the same whatever the number of rows, so the driver
# converts it once and keeps it; a multi-row VALUES of a 1,000-reading batch
# is 12,000 placeholders, which the driver parsed again on every batch (about
# a fifth of the batch's CPU in the API process).
_READINGS_FROM_ARRAYS = text("""
    INSERT INTO readings (id, enrolment_id, patient_id, measure, value, value2, unit, sent_unit, device_serial,
                          source, taken_at, received_at)
    SELECT * FROM unnest(CAST(:id AS uuid[]), CAST(:enrolment_id AS uuid[]), CAST(:patient_id AS uuid[]),
                         CAST(:measure AS varchar[]), CAST(:value AS numeric[]), CAST(:value2 AS numeric[]),
                         CAST(:unit AS varchar[]), CAST(:sent_unit AS varchar[]), CAST(:device_serial AS varchar[]),
                         CAST(:source AS varchar[]), CAST(:taken_at AS timestamptz[]),
                         CAST(:received_at AS timestamptz[]))
    ON CONFLICT (enrolment_id, device_serial, measure, taken_at) DO NOTHING
    RETURNING id""")

_DAYS_FROM_ARRAYS = text("""
    INSERT INTO reading_days (enrolment_id, day)
    SELECT * FROM unnest(CAST(:enrolment_id AS uuid[]), CAST(:day AS date[]))
    ON CONFLICT (enrolment_id, day) DO NOTHING
    RETURNING enrolment_id, day""")


def _as_arrays(rows: list[dict], columns: tuple[str, ...], key: tuple[str, ...]) -> dict:
    # In the order of the unique key: concurrent batches that insert some of
    # the same keys (two gateways' readings of one patient's day) then wait
    # for each other in one order, never in a cycle (a deadlock, seen as 503s
    # under four gateways at once).
    ordered = sorted(rows, key=lambda row: tuple(str(row[column]) for column in key))
    return {column: [row[column] for row in ordered] for column in columns}


def insert_readings(session: Session, table, rows: list[dict]) -> set:
    """Insert readings, skipping those already stored (enrolment, device,
    measure and time); the ids of the rows inserted now."""
    if session.get_bind().dialect.name == "postgresql":
        columns = ("id", "enrolment_id", "patient_id", "measure", "value", "value2", "unit", "sent_unit",
                   "device_serial", "source", "taken_at", "received_at")
        arrays = _as_arrays(rows, columns, key=("enrolment_id", "device_serial", "measure", "taken_at"))
        return set(session.execute(_READINGS_FROM_ARRAYS, arrays).scalars().all())
    # The table, not the mapped class: one multi-row INSERT per page of rows
    # (the ORM's bulk path would send them in many small statements).
    statement = insert_ignoring_conflicts(
        session, table, index_elements=["enrolment_id", "device_serial", "measure", "taken_at"]
    ).returning(table.c.id)
    return set(session.execute(statement, rows).scalars().all())


def insert_days(session: Session, table, days: list[dict]) -> list[tuple]:
    """Insert (enrolment, day) rows not counted yet; those inserted now."""
    if not days:
        return []
    if session.get_bind().dialect.name == "postgresql":
        arrays = _as_arrays(days, ("enrolment_id", "day"), key=("enrolment_id", "day"))
        return [tuple(row) for row in session.execute(_DAYS_FROM_ARRAYS, arrays)]
    statement = insert_ignoring_conflicts(session, table, index_elements=["enrolment_id", "day"]
                                          ).returning(table.c.enrolment_id, table.c.day)
    return [tuple(row) for row in session.execute(statement, days)]
