"""What a CareBridge service is, and what it needs at run time.

Each service declares itself once, in its composition root:

    SERVICE = ServiceDefinition(
        name="patients", package="carebridge_patients", title="CareBridge Patients API",
        description="...", metadata=Base.metadata, register_api=register_api,
        subscriptions=subscriptions, jobs=[PeriodicJob("...", every=30, run=...)],
    )

and the kit builds everything else from it: the Flask app (`create_app`),
the worker (consumer, outbox relay, periodic jobs), migrations, the dev stack.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import MetaData, func, select
from sqlalchemy.orm import Session

from .bus import EventConsumer, Publisher, ServiceQueues, Topology
from .config import Settings
from .db import Database
from .db.kit_tables import outbox_events
from .subscriptions import EventSubscriptions


@dataclass
class PeriodicJob:
    """Work the worker repeats (sweeps for missed appointments, reminders,
    overdue tasks...). `run(runtime)` must be safe with several workers
    running it at once: it claims its rows in the database."""
    name: str
    every: float
    run: Callable[["Runtime"], Any]


@dataclass
class ServiceDefinition:
    name: str
    package: str
    title: str
    description: str
    metadata: MetaData
    register_api: Callable[[Any], None]
    subscriptions: EventSubscriptions = field(default_factory=EventSubscriptions)
    jobs: list[PeriodicJob] = field(default_factory=list)
    version: str = "1.0.0"

    def create_app(self, test_config: dict | None = None):
        from .web.app import create_app
        return create_app(self, test_config)

    def settings(self, environ=None) -> Settings:
        return Settings.from_env(self.name, environ)


class Runtime:
    """One service's live dependencies in one process."""

    def __init__(self, service: ServiceDefinition, settings: Settings, db: Database | None = None):
        self.service = service
        self.settings = settings
        self.db = db or Database(settings.database_url, service=service.name)
        self.db.sessions.configure(info={"service": service.name, "runtime": self})
        self.topology = Topology(namespace=settings.bus_namespace, quorum=not settings.uses_memory_bus)
        self._verifier = None
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    @staticmethod
    def of(session: Session) -> "Runtime":
        """The runtime a session belongs to (for handlers and the service layer)."""
        return session.info["runtime"]

    @property
    def verifier(self):
        if self._verifier is None:
            from .auth import TokenVerifier
            self._verifier = TokenVerifier(self.settings)
        return self._verifier

    @property
    def queues(self) -> ServiceQueues:
        return self.topology.for_service(self.service.name, self.service.subscriptions.routing_keys,
                                         self.settings.retry_delays, self.settings.delivery_limit)

    def client(self, other_service: str):
        """An HTTP client for another service's API (timeouts, retries on
        idempotent calls, service token, correlation id)."""
        with self._lock:
            if other_service not in self._clients:
                from .http_client import ServiceClient
                self._clients[other_service] = ServiceClient(self.settings, other_service)
            return self._clients[other_service]

    def outbox_backlog(self) -> int:
        with self.db.transaction() as session:
            return session.scalar(select(func.count()).select_from(outbox_events)
                                  .where(outbox_events.c.published_at.is_(None)))

    def relay(self):
        from .outbox import OutboxRelay
        return OutboxRelay(self.db, Publisher(self.settings.broker_url, self.topology),
                           batch_size=self.settings.relay_batch_size,
                           poll_interval=self.settings.relay_poll_interval,
                           retention_days=self.settings.relay_retention_days)

    def consumer(self) -> EventConsumer:
        return EventConsumer(self.service.name, self.db, self.service.subscriptions, self.queues,
                             self.settings.broker_url, prefetch_count=self.settings.prefetch_count)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self.db.dispose()
