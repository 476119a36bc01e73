"""Questions about appointments that booking and slot search ask often."""
from __future__ import annotations

import uuid
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterator

from sqlalchemy import Uuid, any_, bindparam, exists, func, literal_column, select, text, type_coerce
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.appointment_types import MAX_BUFFER_MINUTES, MAX_DURATION_MINUTES
from ..domain.statuses import OCCUPYING
from .epoch import epoch_seconds
from .models import PATIENT_OVERLAP_CONSTRAINT, PRACTITIONER_OVERLAP_CONSTRAINT, Appointment

# No appointment (with its buffer) runs longer than this, so one that ends
# after a moment started at most this long before it.
_LONGEST = timedelta(minutes=MAX_DURATION_MINUTES + MAX_BUFFER_MINUTES)


class OverlapRefused(Exception):
    """The database refused an appointment that overlaps another of the
    same practitioner (`patient` False) or of the same patient (True)."""

    def __init__(self, patient: bool = False):
        super().__init__("patient" if patient else "practitioner")
        self.patient = patient


def is_overlap_violation(error: IntegrityError) -> bool:
    return PRACTITIONER_OVERLAP_CONSTRAINT in str(getattr(error, "orig", error))


def is_patient_overlap_violation(error: IntegrityError) -> bool:
    return PATIENT_OVERLAP_CONSTRAINT in str(getattr(error, "orig", error))


@contextmanager
def overlap_guarded(session: Session) -> Iterator[None]:
    """Changes made to appointments inside the block are written on a
    savepoint; OverlapRefused if the database says they double-book a
    practitioner or a patient (the rest of the transaction stays usable)."""
    session.flush()  # earlier work is not this block's to undo
    try:
        with session.begin_nested():
            yield
            queue_behind_writers_of_the_same_people(session)
            session.flush()
    except IntegrityError as error:
        if is_overlap_violation(error):
            raise OverlapRefused() from None
        if is_patient_overlap_violation(error):
            raise OverlapRefused(patient=True) from None
        raise


def queue_behind_writers_of_the_same_people(session: Session) -> None:
    """Before appointments are written on PostgreSQL: wait for any other
    transaction writing appointments of the same practitioners or patients.

    Two transactions writing clashing visits at the same moment can each
    insert its row before either checks the exclusion constraints; each then
    waits for the other's row to be decided, and PostgreSQL breaks that cycle
    by failing one of them with a deadlock (a 503 for a client who should
    hear 409). A transaction-scoped advisory lock per practitioner and
    patient about to be written, taken in one order by every writer, makes
    the second wait for the first to end and then meet its row as an
    overlap. (SQLite has one writer at a time already.)"""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({_lock_key(person) for written in (*session.new, *session.dirty) if isinstance(written, Appointment)
                   for person in (written.practitioner_id, written.patient_id) if person is not None})
    if keys:
        # On the connection: the session would flush first, and the rows
        # must not reach the table before the turn is taken.
        session.connection().execute(_ORDERED_LOCKS, {"keys": keys})


# The array's order (sorted) is the order the locks are taken in.
_ORDERED_LOCKS = text("SELECT pg_advisory_xact_lock(key) FROM unnest(CAST(:keys AS bigint[])) AS key")


def _lock_key(person: uuid.UUID) -> int:
    # Advisory locks take a signed 64-bit key: a practitioner's and a
    # patient's keys colliding would only make one wait for the other.
    return int.from_bytes(uuid.UUID(str(person)).bytes[:8], "big", signed=True)


def busy_by_practitioner(session: Session, practitioner_ids: list[uuid.UUID] | None, start: datetime,
                         end: datetime) -> dict[int, tuple[tuple[int, int], ...]]:
    """Per practitioner (of `practitioner_ids`, or of everybody with None;
    keyed by the id's integer, `UUID.int`: slot search looks up hundreds per
    request, and a UUID hashes and compares in Python code),
    the stretches [start, blocked_until) of appointments that hold their
    time and overlap [start, end), as epoch seconds, sorted (a tuple: slot
    search keeps what it counted on them by them).
    Slot search reads thousands of these per request, so the database
    converts the times (building datetimes would cost more than the query)
    and the rows are read as plain tuples without the ORM."""
    connection = session.connection()
    postgresql = connection.dialect.name == "postgresql"
    if practitioner_ids is None:
        who, parameters = "everybody", {}
    elif len(practitioner_ids) == 1:
        who, parameters = "one", {"practitioner": practitioner_ids[0]}
    else:
        who, parameters = "many", {"practitioners": list(practitioner_ids)}
    start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    parameters.update(start=start, end=end, since=start - _LONGEST)
    if postgresql:
        # On the session's own driver connection (its transaction), with
        # results in binary: the driver reads arrays of binary integers
        # about a third cheaper than their text, and these few hundred rows
        # of arrays were the costliest part of reading them.
        with connection.connection.driver_connection.cursor(binary=True) as cursor:
            cursor.execute(_busy_sql(connection.dialect, who), parameters)
            return {practitioner_id.int: tuple(zip(starts, ends)) for practitioner_id, starts, ends in cursor}
    rows = connection.execute(_busy_statement(postgresql, who), parameters).all()
    busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for practitioner_id, busy_start, busy_end in rows:
        busy[practitioner_id.int].append((busy_start, busy_end))
    return {practitioner_id: tuple(sorted(stretches)) for practitioner_id, stretches in busy.items()}


@lru_cache(maxsize=None)
def _busy_sql(dialect, who: str) -> str:
    """The PostgreSQL statement as the driver's SQL text (its parameters by
    name), with the occupying statuses written out as the partial index
    ix_appointments_occupying names them, so the planner can still use it."""
    return str(_busy_statement(True, who).compile(dialect=dialect))


@lru_cache(maxsize=None)
def _busy_statement(postgresql: bool, who: str):
    """busy_by_practitioner's statement for a dialect and a kind of `who`,
    built once with bound parameters (start, end, since; practitioner or
    practitioners): building the expression on every request cost more
    than executing it."""
    # The statuses written out (they are the code's constants): the driver's
    # own cursor runs the PostgreSQL statement as text (_busy_sql).
    statuses = [literal_column(f"'{status}'") for status in OCCUPYING] if postgresql else OCCUPYING
    where = [Appointment.status.in_(statuses), Appointment.start_at < bindparam("end"),
             Appointment.start_at > bindparam("since"), Appointment.blocked_until > bindparam("start")]
    if who == "one":
        where.append(Appointment.practitioner_id == bindparam("practitioner"))
    elif who == "many" and postgresql:
        # One array parameter rather than hundreds in an IN list, which cost
        # more to send, parse and plan than the query takes to run.
        where.append(Appointment.practitioner_id == any_(bindparam("practitioners", type_=ARRAY(Uuid))))
    elif who == "many":
        where.append(Appointment.practitioner_id.in_(bindparam("practitioners", expanding=True)))
    if postgresql:
        # One row per practitioner with two arrays: thousands of stretches
        # arrive as a few hundred rows, which the driver reads far faster.
        # Typed as nothing in particular: the driver's lists of ints are
        # what is wanted, without SQLAlchemy's per-item array processing.
        # In the order of the stretches, so that the same bookings give the
        # same tuple (slot search keeps its counts by it).
        order = (Appointment.start_at, Appointment.blocked_until)
        return (select(Appointment.practitioner_id,
                       type_coerce(func.array_agg(aggregate_order_by(epoch_seconds(Appointment.start_at), *order)),
                                   NullType()),
                       type_coerce(func.array_agg(aggregate_order_by(epoch_seconds(Appointment.blocked_until),
                                                                     *order)), NullType()))
                .where(*where).group_by(Appointment.practitioner_id))
    return (select(Appointment.practitioner_id, epoch_seconds(Appointment.start_at),
                   epoch_seconds(Appointment.blocked_until)).where(*where))


def practitioner_is_busy(session: Session, practitioner_id: uuid.UUID, start: datetime, blocked_until: datetime,
                         except_id: uuid.UUID | None = None) -> bool:
    return _clash(session, Appointment.practitioner_id == practitioner_id, start, blocked_until,
                  Appointment.blocked_until, except_id)


def patient_is_busy(session: Session, patient_id: uuid.UUID, start: datetime, end: datetime,
                    except_id: uuid.UUID | None = None) -> bool:
    return _clash(session, Appointment.patient_id == patient_id, start, end, Appointment.end_at, except_id)


def _clash(session, who, start, end, end_column, except_id) -> bool:
    condition = [who, Appointment.status.in_(OCCUPYING), Appointment.start_at < end,
                 Appointment.start_at > start - _LONGEST, end_column > start]
    if except_id is not None:
        condition.append(Appointment.id != except_id)
    return bool(session.scalar(select(exists().where(*condition))))
