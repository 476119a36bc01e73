"""Write events into the outbox, inside the caller's transaction.

    outbox.record(session, "patients.patient-registered", {...})

The event is validated against its catalogue schema now, so a producer bug
fails the request that caused it instead of reaching consumers. It becomes
visible to the relay only when the caller's transaction commits, together
with the state change it describes; if that transaction rolls back, the event
never existed.
"""
from __future__ import annotations

import threading
import uuid
from datetime import timezone
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import insert
from sqlalchemy.orm import Session

from .. import clock, context
from ..db.driver import driver_connection
from ..db.kit_tables import outbox_events
from ..events import Event, registry

# Relays in this process wait on this; it is set after any commit that wrote
# to an outbox, so an event does not wait for the next poll to go out.
committed = threading.Event()


# Built once: every state change that publishes runs it.
_INSERT = insert(outbox_events)
# On PostgreSQL the same row as plain SQL on the driver's own cursor: nothing
# for SQLAlchemy to look up in its compiled cache, render or process per call
# (a third of a writer's CPU per event went through that for this one row),
# nor an execution context and result to set up (exec_driver_sql still cost
# 90 us of CPU per row more than the driver's cursor on a 2-core AMD EPYC).
_INSERT_SQL = ("INSERT INTO outbox_events (event_id, event_type, payload, created_at) "
               "VALUES (%s, %s, %s, %s)")


class WrongProducer(ValueError):
    pass


def record(session: Session, event_type: str, data: dict[str, Any], *, version: int = 1) -> Event:
    service = session.info.get("service")
    if not service or not event_type.startswith(service + "."):
        raise WrongProducer(f"the {service} service cannot publish {event_type}")
    event = Event(
        id=uuid.uuid4(),
        type=event_type,
        version=version,
        occurred_at=clock.now(),
        producer=service,
        correlation_id=context.current_correlation_id(),
        causation_id=context.causation_id.get(),
        data=registry.validate_for_publish(event_type, version, data),
    )
    # On the session's connection: an insert of a kit table needs none of the
    # ORM's execution machinery (no entity, nothing to flush first).
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # What UTCDateTime would bind (aware, in UTC; a naive time refused).
        created_at = event.occurred_at
        if created_at.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        with driver_connection(session, _INSERT_SQL, connection) as driver:
            with driver.cursor() as cursor:
                cursor.execute(_INSERT_SQL, (event.id, event.type, event.to_json(),
                                             created_at.astimezone(timezone.utc)))
    else:
        connection.execute(_INSERT, {"event_id": event.id, "event_type": event.type,
                                     "payload": event.to_json(), "created_at": event.occurred_at})
    session.info["carebridge.outbox_written"] = True
    return event


@sa_event.listens_for(Session, "after_commit")
def _wake_relay(session: Session) -> None:
    if session.info.pop("carebridge.outbox_written", False):
        committed.set()


@sa_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("carebridge.outbox_written", None)
