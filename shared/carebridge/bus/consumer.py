"""The event consumer of one service.

For each message on `<service>.events`:

1. Decode and validate the envelope and its data against the catalogue. A
   message that can never succeed (not an envelope, an unknown type or
   version, invalid data) goes straight to the dead-letter queue. So does an
   event the broker does not vouch was published by its type's producer
   (identity.py): it is refused, counted (`carebridge_events_refused_total`)
   and logged with its id, type and publishing user only, and kept in the
   dead-letter queue for inspection.
2. In one database transaction: record the event id in the inbox, run every
   handler subscribed to it, commit. If the inbox already holds the id, the
   event was applied before (a redelivery or a duplicate publish): nothing
   runs again. Messages that arrived together (up to the prefetch count) share
   one transaction: one statement records all their ids in the inbox, and
   consecutive events of one type go to a batch handler together (see
   `EventSubscriptions`), so a burst costs a handful of statements and one
   commit instead of many. If any handler raises, that transaction is rolled
   back and the burst is applied again one event at a time, each on its own
   savepoint, so one failing event does not undo the others.
3. Ack only after that commit (one ack with `multiple` for the burst).
4. If a handler raises, roll back and republish the message to the retry
   queue of its attempt (growing delays), then ack; after the last attempt,
   dead-letter it with the reason. Either way the queue moves on.
5. If the database itself is unreachable, nothing is acked: the consumer
   drops its channel (the broker requeues the messages), waits for the
   database to answer again and resumes.

A republish or dead-letter is confirmed by the broker before the original is
acked, so a message is never in neither place. Connections recover by
themselves after a broker restart.
"""
from __future__ import annotations

import logging
import socket
import threading
from collections import Counter
from datetime import datetime, timezone

from kombu import Consumer
from sqlalchemy import bindparam, insert, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from .. import clock, context
from ..db import Database
from ..db.kit_tables import inbox_events
from ..events import Event, InvalidEventData, MalformedEvent, UnknownEventType, registry
from ..metrics import events_consumed, events_failed, events_refused
from ..subscriptions import EventSubscriptions
from .connection import BROKER_ERRORS, open_connection
from .handling import PermanentFailure, ReceivedEvent
from .identity import PUBLISHED_BY_HEADER, BrokerUsers, RefusedPublisher
from .publisher import Publisher
from .topology import ServiceQueues

log = logging.getLogger(__name__)

ATTEMPT_HEADER = "x-carebridge-attempt"
# Why a message was retried or dead-lettered: the exception's class and a
# code (a database error's SQLSTATE, a PermanentFailure's code), never the
# exception's text (PostgreSQL's "DETAIL: Failing row contains (...)" holds
# patient data).
ERROR_HEADER = "x-carebridge-error"
ERROR_CODE_HEADER = "x-carebridge-error-code"
FAILED_AT_HEADER = "x-carebridge-failed-at"


class DatabaseUnavailable(Exception):
    pass


class _SomeHandlerFailed(Exception):
    """A burst applied together failed somewhere; it is applied again one
    event at a time."""


def _log_fields(message, event) -> dict:
    return {"event_id": str(event.id), "event_type": event.type, "attempt": _attempt_of(message)}


def _attempt_of(message) -> int:
    try:
        return max(1, int((message.headers or {}).get(ATTEMPT_HEADER, 1)))
    except (TypeError, ValueError):
        return 1


class EventConsumer:
    def __init__(self, service: str, db: Database, subscriptions: EventSubscriptions,
                 queues: ServiceQueues, broker_url: str, users: BrokerUsers | None = None, *,
                 prefetch_count: int = 32):
        self.service = service
        # Without users given: the in-memory bus's, where each service is
        # named as itself.
        self.users = users or BrokerUsers(own=service, of=lambda producer: producer)
        self.db = db
        self.subscriptions = subscriptions
        self.queues = queues
        self.broker_url = broker_url
        self.prefetch_count = prefetch_count
        self.uses_memory = broker_url.startswith("memory://")
        self.connected = threading.Event()
        self._connection = None
        self._publisher: Publisher | None = None
        self._timers: list[threading.Timer] = []

    # -- applying events ----------------------------------------------------

    def decode(self, body: bytes | str) -> tuple[ReceivedEvent, list]:
        """The validated event and its handlers, or MalformedEvent /
        UnknownEventType / InvalidEventData for a message that can never succeed."""
        return self._validated(Event.from_json(body))

    def _validated(self, event: Event) -> tuple[ReceivedEvent, list]:
        handlers = self.subscriptions.handlers_for(event.type, event.version)
        if not handlers:
            raise UnknownEventType(f"{self.service} has no handler for {event.type} v{event.version}")
        data = registry.validate_on_receipt(event.type, event.version, event.data)
        return ReceivedEvent(**{**event.__dict__, "data": data}), handlers

    def apply(self, batch: list[tuple[ReceivedEvent, list]]) -> list:
        """Apply decoded events in ONE transaction. Returns, per event,
        "applied", "duplicate" or the exception its handler raised (that
        event's work is rolled back, the others commit). Raises
        DatabaseUnavailable when the database is gone."""
        if not batch:
            return []
        try:
            return self._apply_together(batch)
        except _SomeHandlerFailed:
            # Rolled back whole; now each event on its own savepoint, to find
            # which one fails and keep the others.
            pass
        return self._apply_each(batch)

    def _apply_together(self, batch: list[tuple[ReceivedEvent, list]]) -> list:
        """The common case: every handler succeeds. The inbox records of the
        whole burst in one statement, batch handlers once per run of events
        of their type, no savepoints."""
        outcomes: list = []
        try:
            with self.db.transaction() as session:
                fresh = self._record_in_inbox(session, [event for event, _handlers in batch])
                runs: list[tuple[list, list[ReceivedEvent]]] = []
                for event, handlers in batch:
                    if event.id not in fresh:
                        outcomes.append("duplicate")
                        continue
                    fresh.discard(event.id)  # the same event twice in one burst runs once
                    outcomes.append("applied")
                    previous = runs[-1] if runs else None
                    if (previous is not None and self._batchable(handlers) and previous[0] == handlers
                            and previous[1][-1].type == event.type and previous[1][-1].version == event.version):
                        previous[1].append(event)
                    else:
                        runs.append((handlers, [event]))
                for handlers, events in runs:
                    self._run_handlers(session, handlers, events)
        except DBAPIError as error:
            if _database_down(error):
                raise DatabaseUnavailable(type(error).__name__) from error
            raise _SomeHandlerFailed() from error
        except Exception as error:
            raise _SomeHandlerFailed() from error
        return outcomes

    def _batchable(self, handlers: list) -> bool:
        return all(self.subscriptions.takes_batches(handler) for handler in handlers)

    def _run_handlers(self, session, handlers: list, events: list[ReceivedEvent]) -> None:
        if len(events) == 1:
            event = events[0]
            with context.acting(correlation=event.correlation_id, causation=str(event.id)):
                for handler in handlers:
                    handler(session, [event] if self.subscriptions.takes_batches(handler) else event)
            return
        # A run of several events for batch handlers: each handler sets the
        # context of each event itself where it matters.
        for handler in handlers:
            handler(session, events)

    def _record_in_inbox(self, session, events: list[ReceivedEvent]) -> set:
        """Insert the inbox records of `events`; returns the ids that were not
        there yet. An id another consumer is inserting right now waits for its
        transaction and then counts as taken (or as fresh if it rolled back)."""
        now = clock.now()
        # In one order, so that two consumers inserting overlapping bursts
        # wait for each other instead of deadlocking.
        unique = sorted({event.id: event for event in events}.values(), key=lambda event: str(event.id))
        if session.get_bind().dialect.name == "postgresql":
            # The same SQL text whatever the burst's size (two arrays): the
            # driver parses and the server plans it once, where a multi-row
            # VALUES of a full burst was too long for psycopg's query cache
            # and was converted again on every burst.
            return set(session.scalars(_INBOX_FROM_ARRAYS, {
                "consumer": self.service, "processed_at": now,
                "event_ids": [event.id for event in unique], "event_types": [event.type for event in unique]}))
        rows = [{"consumer": self.service, "event_id": event.id, "event_type": event.type, "processed_at": now}
                for event in unique]
        # One statement whatever the number of rows (SQLAlchemy's
        # "insertmanyvalues": compiled once, expanded per call).
        return set(session.scalars(_insert_ignoring_duplicates(session), rows))

    def _apply_each(self, batch: list[tuple[ReceivedEvent, list]]) -> list:
        outcomes: list = []
        try:
            with self.db.transaction() as session:
                for event, handlers in batch:
                    with context.acting(correlation=event.correlation_id, causation=str(event.id)):
                        outcomes.append(self._apply_one(session, event, handlers))
        except DBAPIError as error:
            if _database_down(error):
                raise DatabaseUnavailable(type(error).__name__) from error
            raise
        return outcomes

    def _apply_one(self, session, event: ReceivedEvent, handlers: list):
        savepoint = session.begin_nested()
        try:
            try:
                # Its own savepoint, flushed first: if another consumer is
                # applying the same event right now, this waits for it and
                # then finds the id taken.
                with session.begin_nested():
                    session.execute(insert(inbox_events).values(
                        consumer=self.service, event_id=event.id, event_type=event.type,
                        processed_at=clock.now()))
            except IntegrityError:
                savepoint.rollback()
                return "duplicate"
            for handler in handlers:
                handler(session, [event] if self.subscriptions.takes_batches(handler) else event)
            savepoint.commit()
            return "applied"
        except Exception as error:
            if savepoint.is_active:
                savepoint.rollback()
            if isinstance(error, DBAPIError) and _database_down(error):
                raise
            return error

    def process(self, body: bytes | str, published_by: str | None) -> str:
        """Apply one message published by the broker user `published_by`;
        returns "applied" or "duplicate", or raises RefusedPublisher or what
        its handler raised (tests, and the single-message path)."""
        event = Event.from_json(body)
        self.users.check(event.type, published_by)
        outcome = self.apply([self._validated(event)])[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def _handle(self, messages: list) -> None:
        """Everything prefetched so far: one transaction, then acks."""
        decoded, given_up = [], []
        for message in messages:
            try:
                event = Event.from_json(message.body)
                self.users.check(event.type, self._publisher_of(message))
                decoded.append((message, *self._validated(event)))
            except RefusedPublisher as error:
                self._refuse(message, error)
                given_up.append(message)
            except (MalformedEvent, UnknownEventType, InvalidEventData) as error:
                self._give_up(message, error)
                given_up.append(message)
        if decoded:
            try:
                outcomes = self.apply([(event, handlers) for _message, event, handlers in decoded])
            except BaseException:
                # Nothing was applied: hand every applicable message back (the
                # in-memory transport would otherwise forget them with the
                # channel); the dead-lettered ones are safely elsewhere.
                for message in given_up:
                    message.ack()
                for message, _event, _handlers in decoded:
                    message.requeue()
                raise
            counts: Counter = Counter()
            for (message, event, _handlers), outcome in zip(decoded, outcomes):
                if isinstance(outcome, BaseException):
                    self._failed(message, event.type, outcome, _log_fields(message, event))
                    continue
                counts[(event.type, outcome)] += 1
                if outcome == "duplicate":
                    log.info("event already applied; skipping the duplicate", extra=_log_fields(message, event))
            for (event_type, outcome), count in counts.items():
                events_consumed.labels(self.service, event_type, outcome).inc(count)
        self._ack_all(messages)

    def _ack_all(self, messages: list) -> None:
        """Every message of the burst is settled (applied, skipped, retried or
        dead-lettered, each confirmed): one ack covers them all on the
        broker (they came in order on this channel and nothing else of it is
        unacked); the in-memory transport wants each one."""
        if not messages:
            return
        if self.uses_memory:
            for message in messages:
                message.ack()
        else:
            messages[-1].ack(multiple=True)

    def _failed(self, message, event_type: str, error: BaseException, extra: dict) -> None:
        events_failed.labels(self.service, event_type).inc()
        if isinstance(error, PermanentFailure):
            self._give_up(message, error)
            return
        attempt = extra["attempt"]
        if attempt <= len(self.queues.retry_delays):
            delay = self.queues.retry_delays[attempt - 1]
            log.warning("event handler failed; retrying later", exc_info=error,
                        extra={**extra, "delay_seconds": delay})
            self._retry_later(message, attempt, error)
            events_consumed.labels(self.service, event_type, "retried").inc()
        else:
            log.error("event handler failed on every attempt; dead-lettering it", exc_info=error, extra=extra)
            self._dead_letter(message, error)
            events_consumed.labels(self.service, event_type, "dead-lettered").inc()

    def _publisher_of(self, message) -> str | None:
        return self.users.publisher_of(message.properties, message.headers)

    def _refuse(self, message, error: RefusedPublisher) -> None:
        event_type = message.properties.get("type") or "unknown"
        log.warning("event refused: not published by the producer of its type; dead-lettered",
                    extra={"event_id": message.properties.get("message_id"), "event_type": event_type,
                           "subject": self._publisher_of(message) or "none", "reason": "publisher"})
        events_refused.labels(self.service, event_type).inc()
        self._dead_letter(message, error)
        events_consumed.labels(self.service, event_type, "refused").inc()

    def _give_up(self, message, error: BaseException) -> None:
        event_type = message.properties.get("type") or "unknown"
        log.error("event can never be applied; dead-lettering it",
                  extra={"event_id": message.properties.get("message_id"), "event_type": event_type,
                         "error_type": type(error).__name__})
        self._dead_letter(message, error)
        events_consumed.labels(self.service, event_type, "dead-lettered").inc()

    def _headers(self, message, **extra) -> dict:
        headers = dict(message.headers or {})
        # What the broker vouched for when the message arrived travels with
        # the copy (which carries this service's own user): never what a
        # publisher wrote into the header itself.
        headers[PUBLISHED_BY_HEADER] = self._publisher_of(message) or ""
        headers.update(extra)
        return headers

    def _retry_later(self, message, attempt: int, error: BaseException) -> None:
        headers = self._headers(message, **{ATTEMPT_HEADER: attempt + 1, ERROR_HEADER: _describe(error),
                                            ERROR_CODE_HEADER: error_code(error)})
        props = message.properties
        if self.uses_memory:
            # The in-memory transport has no message TTL: hold the message in
            # a timer instead (the dev stack only; it does not survive a restart).
            delay = self.queues.retry_delays[attempt - 1]
            timer = threading.Timer(delay, self._republish_from_timer,
                                    args=(message.body, props.get("message_id"), props.get("type"), headers))
            timer.daemon = True
            self._timers = [t for t in self._timers if t.is_alive()] + [timer]
            timer.start()
            return
        self._publisher.publish_to_queue(
            self.queues, queue_name=self.queues.retry_name(attempt - 1), body=message.body,
            event_id=props.get("message_id"), event_type=props.get("type"), headers=headers)

    def _republish_from_timer(self, body, message_id, event_type, headers) -> None:
        with Publisher(self.broker_url, self.queues.topology, self.users.own) as publisher:
            publisher.publish_to_queue(self.queues, queue_name=self.queues.main_name, body=body,
                                       event_id=message_id, event_type=event_type, headers=headers)

    def _dead_letter(self, message, error: BaseException) -> None:
        props = message.properties
        headers = self._headers(message, **{
            ERROR_HEADER: _describe(error),
            ERROR_CODE_HEADER: error_code(error),
            FAILED_AT_HEADER: datetime.now(timezone.utc).isoformat(),
        })
        self._publisher.publish_to_queue(
            self.queues, queue_name=self.queues.dead_name, body=message.body,
            event_id=props.get("message_id"), event_type=props.get("type"), headers=headers)

    # -- the loop ----------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        pause = 0.5
        while not stop.is_set():
            try:
                self._consume_until_stopped_or_broken(stop)
                pause = 0.5
            except DatabaseUnavailable:
                self._disconnect()
                self._wait_for_database(stop)
            except BROKER_ERRORS as error:
                log.warning("lost the broker; reconnecting",
                            extra={"error_type": type(error).__name__, "delay_seconds": pause})
                self._disconnect()
                stop.wait(pause)
                pause = min(pause * 2, 15.0)
            except Exception:
                log.exception("consumer loop failed; restarting it", extra={"delay_seconds": pause})
                self._disconnect()
                stop.wait(pause)
                pause = min(pause * 2, 15.0)
        self._disconnect()
        for timer in self._timers:
            timer.cancel()

    def _consume_until_stopped_or_broken(self, stop: threading.Event) -> None:
        self._connection = open_connection(self.broker_url)
        self._connection.connect()
        self.queues.declare(self._connection, with_retry_queues=not self.uses_memory)
        channel = self._connection.channel()
        self._publisher = Publisher(self.broker_url, self.queues.topology, self.users.own)
        pending: list = []
        consumer = Consumer(channel, queues=[self.queues.main], on_message=pending.append,
                            no_ack=False, tag_prefix=f"{self.service}-")
        consumer.qos(prefetch_count=self.prefetch_count)
        with consumer:
            self.connected.set()
            log.info("consuming events", extra={"queue": self.queues.main_name,
                                                "count": len(self.queues.routing_keys)})
            while not stop.is_set():
                try:
                    self._connection.drain_events(timeout=0.25 if self.uses_memory else 1)
                except socket.timeout:
                    self._connection.heartbeat_check()
                    continue
                # Take whatever else has already arrived, without waiting, so
                # a burst is applied in one transaction.
                while len(pending) < self.prefetch_count:
                    try:
                        self._connection.drain_events(timeout=0.001)
                    except socket.timeout:
                        break
                batch, pending[:] = list(pending), []
                self._handle(batch)

    def _disconnect(self) -> None:
        self.connected.clear()
        if self._publisher is not None:
            self._publisher.close()
            self._publisher = None
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:
                log.debug("error while closing a broken connection", exc_info=True)
            self._connection = None

    def _wait_for_database(self, stop: threading.Event) -> None:
        pause = 0.5
        while not stop.is_set():
            try:
                self.db.ping()
                log.info("database is back; resuming consumption")
                return
            except Exception:
                stop.wait(pause)
                pause = min(pause * 2, 10.0)

    def abort_connection(self) -> None:
        """Cut the connection under the consumer, as a network failure would
        (used by the fault tests)."""
        transport = getattr(self._connection, "transport", None) if self._connection else None
        sock = getattr(getattr(self._connection, "connection", None), "sock", None)
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
        elif transport is not None:
            raise RuntimeError("this transport has no socket to cut")


_INBOX_INSERTS: dict = {}

# PostgreSQL: a burst's inbox records from two arrays, in array order (the
# sorted order above); an id already there is skipped (after waiting for a
# transaction inserting it right now) and not returned.
_INBOX_FROM_ARRAYS = text(
    "INSERT INTO inbox_events (consumer, event_id, event_type, processed_at) "
    "SELECT :consumer, fresh.event_id, fresh.event_type, :processed_at "
    "FROM unnest(CAST(:event_ids AS uuid[]), CAST(:event_types AS varchar[])) AS fresh(event_id, event_type) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
).bindparams(bindparam("processed_at", type_=inbox_events.c.processed_at.type)).columns(
    inbox_events.c.event_id)


def _insert_ignoring_duplicates(session):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING event_id (PostgreSQL and
    SQLite both speak it), built once per dialect."""
    dialect = session.get_bind().dialect.name
    statement = _INBOX_INSERTS.get(dialect)
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        statement = _INBOX_INSERTS[dialect] = (dialect_insert(inbox_events).on_conflict_do_nothing()
                                               .returning(inbox_events.c.event_id))
    return statement


def _database_down(error: DBAPIError) -> bool:
    """The database is unreachable (as opposed to refusing this one event):
    connection lost, server shutting down or out of resources."""
    if getattr(error, "connection_invalidated", False):
        return True
    sqlstate = getattr(getattr(error, "orig", None), "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(("08", "57P", "53"))
    orig_module = type(getattr(error, "orig", None)).__module__ or ""
    return isinstance(error, OperationalError) and orig_module.startswith("psycopg")


def _describe(error: BaseException) -> str:
    """The exception's class only: its text may quote the data."""
    return type(error).__name__[:200]


def error_code(error: BaseException) -> str:
    """A code that says why without quoting anything: a PermanentFailure's
    code, a database error's SQLSTATE, else the class name."""
    code = getattr(error, "code", None)
    if isinstance(error, PermanentFailure) and code:
        return str(code)[:60]
    original = getattr(error, "orig", None)
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if sqlstate:
        return f"sqlstate-{sqlstate}"[:60]
    return type(error).__name__[:60]

