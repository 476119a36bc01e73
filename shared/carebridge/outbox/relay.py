"""The outbox relay: publishes committed outbox rows with publisher confirms
and stamps them as published.

- Rows are claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several
  relays (one per worker replica) share the backlog without ever publishing
  the same row twice at the same time.
- A row is stamped only after the broker confirmed it. If the broker goes
  away mid-batch, the confirmed rows are stamped, the rest stay unpublished
  and the relay reconnects with growing pauses until the broker is back.
- If the process dies after the confirm but before the stamp commits, the row
  goes out again on restart: delivery is at-least-once, and every consumer's
  inbox makes the duplicate harmless.
- While rows keep coming the relay takes the next batch at once (whatever
  was committed while the last one was being confirmed); only when it found
  nothing does it wait `poll_interval` for new rows (a commit in the same
  process wakes it at once), so a busy service's events do not wait for a
  poll while an idle one polls no more often. (Not LISTEN/NOTIFY: PostgreSQL
  serialises the commits of notifying transactions, disk flush included,
  which caps how fast a service can write.)
- Events go out `mandatory`: one the broker returns as unroutable (no queue
  bound to its type yet, e.g. its consumer not deployed yet) was received by
  nobody, so it stays in the outbox, counted and logged as an alert (ids
  only), and is tried again after 30 s, doubling to 10 min, until a queue
  takes it. A type no service consumes yet (`NOT_CONSUMED_YET` in the
  catalogue) is stamped as published: no queue is meant to receive it.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import BigInteger, any_, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from .. import clock
from ..bus.connection import BROKER_ERRORS
from ..bus.publisher import BatchNotConfirmed, Publisher
from ..db import Database
from ..db.kit_tables import outbox_events
from ..events.catalogue import NOT_CONSUMED_YET
from ..metrics import events_published, events_unroutable, outbox_backlog
from .writer import committed

log = logging.getLogger(__name__)

_POSITIONS = ARRAY(BigInteger)

# The two statements of every batch on PostgreSQL as plain SQL for the
# driver (the same as the Core statements below, which SQLite still runs):
# building, cache-keying and compiling those per batch was a third of the
# relay's CPU per batch, and batches are small while events trickle in.
_CLAIM_SQL = (
    "SELECT position, event_id, event_type, payload, publish_attempts, "
    # `SET LOCAL synchronous_commit TO OFF` as an expression, so that it rides
    # on the claim instead of costing a round trip of its own (evaluated for
    # each claimed row: with no row claimed there is nothing to stamp).
    "set_config('synchronous_commit', 'off', true) AS no_flush_wait "
    "FROM outbox_events WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= %s) "
    "ORDER BY position LIMIT %s FOR UPDATE SKIP LOCKED")
_STAMP_SQL = (
    "UPDATE outbox_events SET published_at = %s, publish_attempts = publish_attempts + 1, "
    "last_error = NULL, next_attempt_at = NULL WHERE position = ANY(%s::bigint[])")

UNROUTABLE_FIRST_DELAY = timedelta(seconds=30)
UNROUTABLE_LONGEST_DELAY = timedelta(minutes=10)


def unroutable_delay(attempts: int) -> timedelta:
    """The wait before trying again a row returned `attempts` times so far."""
    return min(UNROUTABLE_FIRST_DELAY * 2 ** max(attempts - 1, 0), UNROUTABLE_LONGEST_DELAY)


class OutboxRelay:
    def __init__(self, db: Database, publisher: Publisher, *, batch_size: int = 100,
                 poll_interval: float = 0.05, retention_days: int = 7):
        self.db = db
        self.publisher = publisher
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.retention = timedelta(days=retention_days)
        self._last_cleanup = 0.0

    def publish_batch(self) -> int:
        """Publish up to one batch; returns how many rows were published.
        Raises a broker error after stamping whatever was confirmed."""
        published = []
        returned = []
        failure: BaseException | None = None
        now = clock.now()
        # The stamps need not wait for the disk: a stamp lost in a database
        # crash only means its row is published again, which delivery
        # at-least-once and every consumer's inbox allow for. (Each batch
        # would otherwise wait for a flush before the next.)
        on_postgresql = self.db.dialect == "postgresql"
        with self.db.transaction() as session:
            if on_postgresql:
                rows = session.connection().exec_driver_sql(_CLAIM_SQL, (now, self.batch_size)).all()
            else:
                rows = session.execute(
                    select(outbox_events.c.position, outbox_events.c.event_id,
                           outbox_events.c.event_type, outbox_events.c.payload,
                           outbox_events.c.publish_attempts)
                    .where(outbox_events.c.published_at.is_(None))
                    .where(outbox_events.c.next_attempt_at.is_(None) | (outbox_events.c.next_attempt_at <= now))
                    .order_by(outbox_events.c.position)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                ).all()
            if rows:
                try:
                    unrouted = self.publisher.publish_events(
                        [(row.payload, str(row.event_id), row.event_type) for row in rows]) or set()
                    returned = [row for row in rows
                                if str(row.event_id) in unrouted and row.event_type not in NOT_CONSUMED_YET]
                    published = [row for row in rows if row not in returned]
                except BatchNotConfirmed as error:
                    failure = error.cause or error
                    published = [row for row, ok in zip(rows, error.confirmed) if ok]
                    failed = [row.position for row, ok in zip(rows, error.confirmed) if not ok]
                    session.execute(
                        update(outbox_events).where(self._positions_in(failed))
                        .values(publish_attempts=outbox_events.c.publish_attempts + 1,
                                last_error=type(failure).__name__[:300]))
            if published and on_postgresql:
                session.connection().exec_driver_sql(
                    _STAMP_SQL, (clock.now(), [row.position for row in published]))
            elif published:
                session.execute(
                    update(outbox_events)
                    .where(self._positions_in([row.position for row in published]))
                    .values(published_at=clock.now(),
                            publish_attempts=outbox_events.c.publish_attempts + 1,
                            last_error=None, next_attempt_at=None))
            for row in returned:
                session.execute(
                    update(outbox_events).where(outbox_events.c.position == row.position)
                    .values(publish_attempts=outbox_events.c.publish_attempts + 1, last_error="unroutable",
                            next_attempt_at=now + unroutable_delay(row.publish_attempts + 1)))
        for row in returned:
            events_unroutable.labels(self.db.service, row.event_type).inc()
            log.error("ALERT: the broker returned an event no queue is bound to; it stays in the outbox "
                      "and is tried again later",
                      extra={"event_id": str(row.event_id), "event_type": row.event_type,
                             "attempts": row.publish_attempts + 1,
                             "delay_seconds": unroutable_delay(row.publish_attempts + 1).total_seconds()})
        for event_type, count in Counter(row.event_type for row in published).items():
            events_published.labels(self.db.service, event_type).inc(count)
        if failure is not None:
            raise failure
        return len(published)

    def _positions_in(self, positions: list[int]):
        """`position IN (...)`; on PostgreSQL `= ANY(array)`: one SQL text
        whatever the batch's size, which the driver converts once and
        prepares (an IN list of each size was a new statement to convert,
        parse and plan on every batch)."""
        if self.db.dialect == "postgresql":
            return outbox_events.c.position == any_(bindparam("positions", positions, type_=_POSITIONS))
        return outbox_events.c.position.in_(positions)

    def backlog(self) -> int:
        with self.db.transaction() as session:
            return session.scalar(
                select(func.count()).select_from(outbox_events).where(outbox_events.c.published_at.is_(None)))

    def delete_old_published(self) -> int:
        """Published rows are kept for a while for inspection, then removed so
        the table stays small."""
        cutoff = clock.now() - self.retention
        with self.db.transaction() as session:
            result = session.execute(
                delete(outbox_events).where(outbox_events.c.published_at.is_not(None),
                                            outbox_events.c.published_at < cutoff))
            return result.rowcount or 0

    def run(self, stop: threading.Event) -> None:
        pause = 0.5
        while not stop.is_set():
            try:
                count = self.publish_batch()
                pause = 0.5
                if count == 0:
                    self._housekeeping()
                    committed.wait(self.poll_interval)
                    committed.clear()
            except (BatchNotConfirmed, *BROKER_ERRORS) as error:
                log.warning("broker unavailable; outbox rows stay queued and the relay retries",
                            extra={"error_type": type(error).__name__, "delay_seconds": pause})
                self.publisher.close()
                stop.wait(pause)
                pause = min(pause * 2, 15.0)
            except Exception:
                # The database may be restarting; nothing is lost (rows stay
                # unpublished), so wait and try again rather than die.
                log.exception("outbox relay failed; retrying", extra={"delay_seconds": pause})
                stop.wait(pause)
                pause = min(pause * 2, 15.0)
        self.publisher.close()

    def _housekeeping(self) -> None:
        now = time.monotonic()
        if now - self._last_cleanup < 60:
            return
        self._last_cleanup = now
        outbox_backlog.labels(self.db.service).set(self.backlog())
        removed = self.delete_old_published()
        if removed:
            log.info("removed published outbox rows past retention", extra={"count": removed})
