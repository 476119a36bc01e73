"""Publishing with publisher confirms: `publish_*` returns only once the broker
has taken responsibility for the message, and raises otherwise.

`publish_events` sends a whole batch and then waits for the broker's confirms
of all of it (one round trip per batch instead of one per message, which is
what lets the outbox relay keep up with a busy service). It reports which
messages were confirmed, so a batch cut short by a broker failure is stamped
exactly as far as the broker took it.

Every message carries the AMQP `user_id` of the user the publisher logs in
as: RabbitMQ refuses a message whose user_id is not the connection's user,
so a consumer can tell which service's user published it (consumer.py).
"""
from __future__ import annotations

import logging
import time

import amqp
import amqp.exceptions
from amqp import spec
from urllib.parse import unquote, urlsplit

from kombu import Connection, Producer

from .connection import HEARTBEAT_SECONDS, open_connection
from .topology import ServiceQueues, Topology

log = logging.getLogger(__name__)

CONFIRM_TIMEOUT_SECONDS = 10.0


class BatchNotConfirmed(Exception):
    """Some messages of a batch were not confirmed (nacked, or the connection
    failed). `confirmed[i]` tells, for each message, whether the broker took it."""

    def __init__(self, confirmed: list[bool], cause: BaseException | None = None):
        super().__init__(f"{confirmed.count(False)} of {len(confirmed)} messages not confirmed"
                         + (f" ({type(cause).__name__})" if cause else ""))
        self.confirmed = confirmed
        self.cause = cause


class _Confirms:
    """Tracks broker acks and nacks by delivery tag on a channel in confirm mode."""

    def __init__(self, channel):
        self.channel = channel
        self.next_tag = 1
        self.acked: set[int] = set()
        self.nacked: set[int] = set()
        self.settled_up_to = 0
        # message ids the broker returned as unroutable (published with
        # `mandatory` while no queue is bound to the type); the broker sends
        # the return before the message's ack.
        self.returned: set[str] = set()
        channel.confirm_select()
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        channel.events["basic_return"].add(self._on_return)

    def _on_return(self, error, exchange, routing_key, message):
        message_id = (message.properties or {}).get("message_id")
        if message_id:
            self.returned.add(message_id)

    def _settle(self, target: set[int], tag: int, multiple: bool) -> None:
        if multiple:
            target.update(range(self.settled_up_to + 1, tag + 1))
        else:
            target.add(tag)
        while self.settled_up_to + 1 in self.acked or self.settled_up_to + 1 in self.nacked:
            self.settled_up_to += 1

    def _on_ack(self, tag, multiple):
        self._settle(self.acked, tag, multiple)

    def _on_nack(self, tag, multiple):
        self._settle(self.nacked, tag, multiple)

    def take_tag(self) -> int:
        tag, self.next_tag = self.next_tag, self.next_tag + 1
        return tag


def login_of(broker_url: str) -> str | None:
    """The user a broker URL logs in as (None on the in-memory bus)."""
    if broker_url.startswith("memory://"):
        return None
    return unquote(urlsplit(broker_url).username or "guest")


class Publisher:
    def __init__(self, broker_url: str, topology: Topology, user_id: str | None = None):
        """`user_id`: what to stamp on messages; by default the URL's user (on
        the in-memory bus, which has no users, give the service's)."""
        self.broker_url = broker_url
        self.topology = topology
        self.user_id = user_id or login_of(broker_url)
        self._connection = None
        self._producer = None
        self._batch_connection = None
        self._batch_producer = None
        self._confirms: _Confirms | None = None

    def _ensure_batch(self) -> tuple[Producer, _Confirms | None]:
        if self._batch_producer is None:
            if self.broker_url.startswith("memory://"):
                self._batch_connection = open_connection(self.broker_url)
                channel = self._batch_connection.channel()
                self._confirms = None
            else:
                # Confirm mode by hand (not kombu's confirm_publish, which
                # waits after every single message).
                self._batch_connection = Connection(self.broker_url, heartbeat=HEARTBEAT_SECONDS, connect_timeout=5)
                self._batch_connection.connect()
                channel = self._batch_connection.channel()
                self._confirms = _Confirms(channel)
            self.topology.ensure_exchange(self._batch_connection)
            self._batch_producer = Producer(channel)
        return self._batch_producer, self._confirms

    def publish_events(self, messages: list[tuple[str, str, str]]) -> set[str]:
        """Publish (body, event_id, event_type) messages to the exchange and
        wait until the broker confirmed all of them; raises BatchNotConfirmed
        telling which were confirmed. Messages go out `mandatory`: returns
        the ids of those the broker returned as unroutable (confirmed, but no
        queue is bound to their type: nobody received them)."""
        tags: list[int] = []
        exchange = self.topology.exchange
        try:
            producer, confirms = self._ensure_batch()
            if confirms is not None:
                # Forgotten before the batch goes out, never after: the
                # return of an early message of this batch may be read while
                # its later ones are still going out (py-amqp reads what the
                # broker sent whenever it is asked to, see _publish_on_channel).
                confirms.returned.clear()
            if confirms is None:
                for body, event_id, event_type in messages:
                    producer.publish(body, exchange=exchange, routing_key=event_type,
                                     content_type="application/json", content_encoding="utf-8",
                                     message_id=event_id, type=event_type, user_id=self.user_id, delivery_mode=2,
                                     retry=False, mandatory=True)
                return set()
            self._publish_on_channel(producer.channel, exchange.name, messages, confirms, tags)
            deadline = time.monotonic() + CONFIRM_TIMEOUT_SECONDS
            while tags and confirms.settled_up_to < tags[-1]:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise amqp.exceptions.RecoverableConnectionError("publisher confirms timed out")
                self._batch_connection.drain_events(timeout=remaining)
        except Exception as error:
            confirmed = [bool(confirms_ok) for confirms_ok in self._which_confirmed(tags, len(messages))]
            self._close_batch()
            raise BatchNotConfirmed(confirmed, error) from error
        if confirms.nacked.intersection(tags):
            confirmed = [tag in confirms.acked for tag in tags]
            self._close_batch()
            raise BatchNotConfirmed(confirmed)
        returned = set(confirms.returned)
        confirms.returned.clear()
        return returned

    def _publish_on_channel(self, channel, exchange: str, messages: list[tuple[str, str, str]], confirms: _Confirms,
                            tags: list[int]) -> None:
        """The batch's `basic.publish`es written straight on the py-amqp
        channel: the same frames kombu's `Producer.publish` would send (the
        same properties, persistent, `mandatory`), without its per-message
        wrapping, and without py-amqp's `drain_events(timeout=0)` before each
        message (which it does on a connection announcing the
        `connection.blocked` capability, RabbitMQ's: a fifth of the relay's
        publishing CPU). Nothing here acts on `connection.blocked`, so those
        reads served only to handle returns and confirms early: they are all
        read while waiting for the batch's confirms (the broker sends a
        message's return before its ack), and a blocked broker still shows as
        confirms that do not come in time. A tag is taken only once its
        message was handed to the socket, so a write that fails leaves it
        counted as not confirmed."""
        if not channel.is_open or not channel.connection:
            raise amqp.exceptions.RecoverableConnectionError("basic_publish: channel closed")
        send_method = channel.send_method
        publish = spec.Basic.Publish
        user_id = self.user_id
        for body, event_id, event_type in messages:
            message = amqp.Message(
                body.encode("utf-8") if isinstance(body, str) else body,
                content_type="application/json", content_encoding="utf-8", message_id=event_id,
                type=event_type, user_id=user_id, delivery_mode=2)
            send_method(publish, "Bssbb", (0, exchange, event_type, True, False), message)
            tags.append(confirms.take_tag())

    def _which_confirmed(self, tags: list[int], count: int) -> list[bool]:
        acked = self._confirms.acked if self._confirms is not None else set()
        flags = [tag in acked for tag in tags]
        return flags + [False] * (count - len(flags))

    def _close_batch(self) -> None:
        if self._batch_connection is not None:
            try:
                self._batch_connection.release()
            except Exception:
                log.debug("error while closing a broker connection", exc_info=True)
        self._batch_connection = None
        self._batch_producer = None
        self._confirms = None

    def _ensure(self) -> Producer:
        if self._producer is None:
            self._connection = open_connection(self.broker_url)
            self._connection.connect()
            self.topology.ensure_exchange(self._connection)
            self._producer = Producer(self._connection.channel())
        return self._producer

    def publish_event(self, *, body: str, event_id: str, event_type: str, headers: dict | None = None) -> None:
        """To the topic exchange: every queue bound to this type gets a copy."""
        self._ensure().publish(
            body, exchange=self.topology.exchange, routing_key=event_type,
            content_type="application/json", content_encoding="utf-8",
            message_id=event_id, type=event_type, user_id=self.user_id, headers=headers or {},
            delivery_mode=2, retry=False)

    def publish_to_queue(self, queues: ServiceQueues, *, queue_name: str, body: str | bytes, event_id: str | None,
                         event_type: str | None, headers: dict | None = None) -> None:
        """Straight into one of the service's own queues (retries, dead
        letters, replays) through its requeue exchange, so that no other
        service sees the message a second time."""
        self._ensure().publish(
            body, exchange=queues.requeue_exchange, routing_key=queue_name,
            content_type="application/json", content_encoding="utf-8",
            message_id=event_id, type=event_type, user_id=self.user_id, headers=headers or {},
            delivery_mode=2, retry=False, mandatory=True)

    def close(self) -> None:
        self._close_batch()
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # closing a dead connection may raise; it is gone either way
                log.debug("error while closing a broker connection", exc_info=True)
        self._connection = None
        self._producer = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
