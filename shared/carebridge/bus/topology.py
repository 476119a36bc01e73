"""Exchange and queue layout (docs/architecture.md, Topology).

    carebridge.events                 durable topic exchange, routing key = event type
    <service>.events                  the service's queue, bound to the types it handles
    <service>.events.retry.<ms>ms     holds a failed message for that delay, then
                                      dead-letters it back to <service>.events
    <service>.events.dead             messages that failed every attempt; inspect and
                                      replay with `carebridge dead-letters`
    <service>.events.requeue          durable direct exchange, each of the service's
                                      queues bound by its own name: where the service's
                                      consumer sends retries and dead letters, and
                                      `carebridge dead-letters replay` the replays

Each service's broker user may write to `carebridge.events` only with
routing keys of its own types (`<service>.*`) and to its own requeue
exchange, and read only its own queues (`definitions.py`); writing to the
default exchange, which reaches every queue, is nobody's right. The queues
dead-letter through the default exchange all the same (the broker does
that, not a user), which is why a service's user cannot create them: the
broker wants the right to write to a queue's dead-letter exchange from
whoever creates it, so the operators' definitions (or, in tests, an
administrator) create the queues, and a worker only declares them again.

All queues are quorum queues on RabbitMQ. The service queue also carries a
delivery limit: a message that kills its worker every time (so the consumer
never counts the failure itself) is dead-lettered by the broker after that
many deliveries instead of looping forever.

A namespace prefixes every name so that test runs sharing one broker cannot
see each other's messages.
"""
from __future__ import annotations

from dataclasses import dataclass

import amqp.exceptions
import kombu.exceptions
from kombu import Exchange, Queue, binding

EXCHANGE_NAME = "carebridge.events"


@dataclass(frozen=True)
class Topology:
    namespace: str = ""
    quorum: bool = True

    def name(self, base: str) -> str:
        return f"{self.namespace}.{base}" if self.namespace else base

    @property
    def exchange(self) -> Exchange:
        # Passive: a service's broker user may not create (or delete) the
        # shared exchange, only check that it is there.
        return Exchange(self.name(EXCHANGE_NAME), type="topic", durable=True, passive=True)

    def ensure_exchange(self, connection) -> None:
        """The shared exchange exists: it is checked, and created only where
        it is missing and this user may (the in-memory bus, an administrator
        in tests; in production the operators' definitions create it)."""
        channel = connection.channel()
        try:
            self.exchange(channel).declare()
        except (amqp.exceptions.NotFound, kombu.exceptions.ChannelError):
            channel = connection.channel()
            self.exchange(channel).declare(passive=False)
        finally:
            _close(channel)

    def for_service(self, service: str, routing_keys, retry_delays, delivery_limit: int) -> "ServiceQueues":
        return ServiceQueues(self, service, tuple(sorted(routing_keys)), tuple(retry_delays), delivery_limit)

    def _arguments(self, **extra) -> dict:
        if not self.quorum:
            return {k: v for k, v in extra.items() if k in ("x-dead-letter-exchange", "x-dead-letter-routing-key", "x-message-ttl")}
        args = {"x-queue-type": "quorum"}
        if "x-dead-letter-routing-key" in extra:
            # At-least-once dead-lettering: the broker keeps the message until
            # the target queue has confirmed it (quorum queues, RabbitMQ 3.10+).
            args.update({"x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"})
        args.update(extra)
        return args


@dataclass(frozen=True)
class ServiceQueues:
    topology: Topology
    service: str
    routing_keys: tuple[str, ...]
    retry_delays: tuple[float, ...]
    delivery_limit: int

    @property
    def main_name(self) -> str:
        return self.topology.name(f"{self.service}.events")

    @property
    def dead_name(self) -> str:
        return self.topology.name(f"{self.service}.events.dead")

    @property
    def requeue_exchange(self) -> Exchange:
        return Exchange(self.topology.name(f"{self.service}.events.requeue"), type="direct", durable=True)

    def retry_name(self, level: int) -> str:
        # The delay is part of the name: RabbitMQ refuses to redeclare a queue
        # with a different TTL, so a changed delay gets a new queue and the old
        # one simply drains into the service queue.
        return self.topology.name(f"{self.service}.events.retry.{int(self.retry_delays[level] * 1000)}ms")

    @property
    def main(self) -> Queue:
        exchange = self.topology.exchange
        return Queue(
            self.main_name,
            bindings=[binding(exchange, routing_key=key) for key in self.routing_keys]
            + [binding(self.requeue_exchange, routing_key=self.main_name)],
            durable=True,
            queue_arguments=self.topology._arguments(**{
                "x-delivery-limit": self.delivery_limit,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.dead_name,
            }),
        )

    def retry(self, level: int) -> Queue:
        return Queue(
            self.retry_name(level), self.requeue_exchange, routing_key=self.retry_name(level), durable=True,
            queue_arguments=self.topology._arguments(**{
                "x-message-ttl": int(self.retry_delays[level] * 1000),
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.main_name,
            }),
        )

    @property
    def dead(self) -> Queue:
        return Queue(self.dead_name, self.requeue_exchange, routing_key=self.dead_name, durable=True,
                     queue_arguments=self.topology._arguments())

    def all_queues(self, with_retry_queues: bool = True) -> list[Queue]:
        queues = [self.main, self.dead]
        if with_retry_queues:
            queues += [self.retry(level) for level in range(len(self.retry_delays))]
        return queues

    def declare(self, connection, with_retry_queues: bool = True) -> None:
        self.topology.ensure_exchange(connection)
        channel = connection.channel()
        try:
            for queue in self.all_queues(with_retry_queues):
                queue(channel).declare()
        finally:
            _close(channel)


def _close(channel) -> None:
    try:
        channel.close()
    except Exception:  # a channel the broker closed is gone either way
        pass


def delete_namespace(channel, topology: Topology, service_queues: list[ServiceQueues]) -> None:
    """Remove what a (test) namespace declared: its queues and its exchange."""
    if not topology.namespace:
        raise ValueError("refusing to delete the production (unprefixed) topology")
    for queues in service_queues:
        for queue in queues.all_queues(with_retry_queues=True):
            queue(channel).delete()
        queues.requeue_exchange(channel).delete()
    topology.exchange(channel).delete()
