"""Exchange and queue layout (docs/architecture.md, Topology).

    carebridge.events                 durable topic exchange, routing key = event type
    <service>.events                  the service's queue, bound to the types it handles
    <service>.events.retry.<ms>ms     holds a failed message for that delay, then
                                      dead-letters it back to <service>.events
    <service>.events.dead             messages that failed every attempt; inspect and
                                      replay with `carebridge dead-letters`

All queues are quorum queues on RabbitMQ. The service queue also carries a
delivery limit: a message that kills its worker every time (so the consumer
never counts the failure itself) is dead-lettered by the broker after that
many deliveries instead of looping forever.

A namespace prefixes every name so that test runs sharing one broker cannot
see each other's messages.
"""
from __future__ import annotations

from dataclasses import dataclass

from kombu import Exchange, Queue, binding

EXCHANGE_NAME = "carebridge.events"
DEFAULT_EXCHANGE = Exchange("")


@dataclass(frozen=True)
class Topology:
    namespace: str = ""
    quorum: bool = True

    def name(self, base: str) -> str:
        return f"{self.namespace}.{base}" if self.namespace else base

    @property
    def exchange(self) -> Exchange:
        return Exchange(self.name(EXCHANGE_NAME), type="topic", durable=True)

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
            bindings=[binding(exchange, routing_key=key) for key in self.routing_keys],
            durable=True,
            queue_arguments=self.topology._arguments(**{
                "x-delivery-limit": self.delivery_limit,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.dead_name,
            }),
        )

    def retry(self, level: int) -> Queue:
        return Queue(
            self.retry_name(level), DEFAULT_EXCHANGE, routing_key=self.retry_name(level), durable=True,
            queue_arguments=self.topology._arguments(**{
                "x-message-ttl": int(self.retry_delays[level] * 1000),
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.main_name,
            }),
        )

    @property
    def dead(self) -> Queue:
        return Queue(self.dead_name, DEFAULT_EXCHANGE, routing_key=self.dead_name, durable=True,
                     queue_arguments=self.topology._arguments())

    def all_queues(self, with_retry_queues: bool = True) -> list[Queue]:
        queues = [self.main, self.dead]
        if with_retry_queues:
            queues += [self.retry(level) for level in range(len(self.retry_delays))]
        return queues

    def declare(self, channel, with_retry_queues: bool = True) -> None:
        self.topology.exchange(channel).declare()
        for queue in self.all_queues(with_retry_queues):
            queue(channel).declare()


def delete_namespace(channel, topology: Topology, service_queues: list[ServiceQueues]) -> None:
    """Remove what a (test) namespace declared: its queues and its exchange."""
    if not topology.namespace:
        raise ValueError("refusing to delete the production (unprefixed) topology")
    for queues in service_queues:
        for queue in queues.all_queues(with_retry_queues=True):
            queue(channel).delete()
    topology.exchange(channel).delete()
