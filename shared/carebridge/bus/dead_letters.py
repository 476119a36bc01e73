"""Inspect and replay a service's dead-lettered messages.

    carebridge dead-letters list patients
    carebridge dead-letters replay patients [--event-id ID ...]

Listing takes every message without acknowledging it and then lets go, so the
broker puts them all back. Replaying sends a message straight into the
service's own queue (through its requeue exchange, so no other service sees it
a second time) with its attempt count reset, and removes it from the
dead-letter queue only once the broker has confirmed the copy. Run it with
the service's own broker credentials: the copy carries that user, and the
user the broker vouched for when the message first arrived travels in its
`x-carebridge-published-by` header, so an event refused for its publisher
is refused again (identity.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from .connection import open_connection
from .consumer import ATTEMPT_HEADER, ERROR_CODE_HEADER, ERROR_HEADER, FAILED_AT_HEADER
from .identity import PUBLISHED_BY_HEADER, BrokerUsers
from .publisher import Publisher
from .topology import ServiceQueues


@dataclass
class DeadLetter:
    event_id: str | None
    event_type: str | None
    error: str | None
    error_code: str | None
    failed_at: str | None
    attempts: int | None
    dead_lettered_by_broker: bool
    published_by: str | None

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _describe(message, users: BrokerUsers) -> DeadLetter:
    headers = message.headers or {}
    deaths = headers.get("x-death") or []
    return DeadLetter(
        event_id=message.properties.get("message_id"),
        event_type=message.properties.get("type"),
        error=headers.get(ERROR_HEADER) or (f"broker: {deaths[0].get('reason')}" if deaths else None),
        error_code=headers.get(ERROR_CODE_HEADER),
        failed_at=headers.get(FAILED_AT_HEADER),
        attempts=headers.get(ATTEMPT_HEADER),
        dead_lettered_by_broker=bool(deaths) and ERROR_HEADER not in headers,
        published_by=users.publisher_of(message.properties, headers),
    )


def list_dead_letters(broker_url: str, queues: ServiceQueues, users: BrokerUsers,
                      limit: int = 1000) -> list[DeadLetter]:
    with open_connection(broker_url) as connection:
        queues.declare(connection, with_retry_queues=not broker_url.startswith("memory://"))
        channel = connection.channel()
        dead = queues.dead(channel)
        found = []
        while len(found) < limit:
            message = dead.get(no_ack=False)
            if message is None:
                break
            found.append(message)
        letters = [_describe(m, users) for m in found]
        for message in found:
            message.requeue()
        return letters


def replay(broker_url: str, queues: ServiceQueues, users: BrokerUsers,
           event_ids: set[str] | None = None) -> list[DeadLetter]:
    replayed, skipped = [], []
    with open_connection(broker_url) as connection, Publisher(broker_url, queues.topology, users.own) as publisher:
        queues.declare(connection, with_retry_queues=not broker_url.startswith("memory://"))
        channel = connection.channel()
        dead = queues.dead(channel)
        while True:
            message = dead.get(no_ack=False)
            if message is None:
                break
            letter = _describe(message, users)
            if event_ids is not None and letter.event_id not in event_ids:
                skipped.append(message)
                continue
            headers = {k: v for k, v in (message.headers or {}).items()
                       if k not in (ERROR_HEADER, ERROR_CODE_HEADER, FAILED_AT_HEADER, "x-death", "x-first-death-exchange",
                                    "x-first-death-queue", "x-first-death-reason", "x-delivery-count")}
            headers[ATTEMPT_HEADER] = 1
            headers[PUBLISHED_BY_HEADER] = letter.published_by or ""
            publisher.publish_to_queue(queues, queue_name=queues.main_name, body=message.body,
                                       event_id=letter.event_id, event_type=letter.event_type, headers=headers)
            message.ack()
            replayed.append(letter)
        for message in skipped:
            message.requeue()
    return replayed
