"""Publishing with publisher confirms: `publish` returns only once the broker
has taken responsibility for the message, and raises otherwise."""
from __future__ import annotations

import logging

from kombu import Producer

from .connection import open_connection
from .topology import DEFAULT_EXCHANGE, Topology

log = logging.getLogger(__name__)


class Publisher:
    def __init__(self, broker_url: str, topology: Topology):
        self.broker_url = broker_url
        self.topology = topology
        self._connection = None
        self._producer = None

    def _ensure(self) -> Producer:
        if self._producer is None:
            self._connection = open_connection(self.broker_url)
            self._connection.connect()
            channel = self._connection.channel()
            self.topology.exchange(channel).declare()
            self._producer = Producer(channel)
        return self._producer

    def publish_event(self, *, body: str, event_id: str, event_type: str, headers: dict | None = None) -> None:
        """To the topic exchange: every queue bound to this type gets a copy."""
        self._ensure().publish(
            body, exchange=self.topology.exchange, routing_key=event_type,
            content_type="application/json", content_encoding="utf-8",
            message_id=event_id, type=event_type, headers=headers or {},
            delivery_mode=2, retry=False)

    def publish_to_queue(self, *, queue_name: str, body: str | bytes, event_id: str | None,
                         event_type: str | None, headers: dict | None = None) -> None:
        """Straight into one queue (retries, dead letters, replays), so that no
        other service sees the message a second time."""
        self._ensure().publish(
            body, exchange=DEFAULT_EXCHANGE, routing_key=queue_name,
            content_type="application/json", content_encoding="utf-8",
            message_id=event_id, type=event_type, headers=headers or {},
            delivery_mode=2, retry=False, mandatory=True)

    def close(self) -> None:
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
