"""What a CareBridge service is, and what it needs at run time.

Each service declares itself once, in its composition root:

    SERVICE = ServiceDefinition(
        name="scheduling", package="carebridge_scheduling", title="CareBridge Scheduling API",
        description="...", metadata=Base.metadata, register_api=register_api,
        subscriptions=subscriptions, jobs=JOBS,
        settings=SchedulingSettings, dependencies=SchedulingDependencies,
    )

and the kit builds everything else from it: the Flask app
(`carebridge.web.create_app(SERVICE)`),
the worker (consumer, outbox relay, periodic jobs), migrations, the dev stack.

At run time a `Runtime` holds one service's live dependencies in one
process, and is reached the same way from everywhere: `Runtime.of(session)`
in the service layer and handlers, the `runtime` argument of a periodic job,
`current_runtime()` in a view. It carries

- `runtime.settings`: the kit's settings (`carebridge.config.Settings`);
- `runtime.service_settings`: the service's own, typed settings object (the
  dataclass named by `ServiceDefinition(settings=...)`), read and checked
  once, when the runtime is built;
- `runtime.dependencies`: the service's own long-lived collaborators (a
  payer adapter, the channel senders), an instance of
  `ServiceDefinition(dependencies=...)` built lazily from the runtime.
  Tests replace one by assigning it (`runtime.dependencies.payer = ...`).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy import MetaData, func, select
from sqlalchemy.orm import Session

from .config import ConfigurationError, Settings, load_service_settings
from .db import Database
from .db.kit_tables import outbox_events
from .jobs import PeriodicJob
from .subscriptions import EventSubscriptions

if TYPE_CHECKING:
    # The bus (kombu, py-amqp) is loaded by the processes that publish or
    # consume: an API process never does, and its memory is counted (issue 26).
    from .bus import BrokerUsers, EventConsumer, Publisher, ServiceQueues, Topology


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
    # The service's own settings: a frozen dataclass of `config.setting`
    # fields, or None for a service that has none.
    settings: type | None = None
    # The service's long-lived collaborators: a class taking the runtime,
    # whose attributes (usually `functools.cached_property`) build them.
    dependencies: type | None = None
    version: str = "1.0.0"
    # Pages for people without a staff token (a signed link is their
    # credential), outside the API and its document: the path prefixes they
    # live under, and a function registering their Flask blueprint.
    public_page_prefixes: tuple[str, ...] = ()
    register_pages: Callable[[Any], None] | None = None

    def __post_init__(self) -> None:
        # Every service that consumes events keeps the others' audit
        # checkpoints, a new one included, without a line of its own.
        from .audit.checkpoints import EVENT_TYPE, keep_checkpoint
        if self.subscriptions and keep_checkpoint not in self.subscriptions.handlers_for(EVENT_TYPE, 1):
            self.subscriptions.subscribe(EVENT_TYPE, 1, keep_checkpoint)

    def settings_from_env(self, environ=None) -> Settings:
        return Settings.from_env(self.name, environ)


class Runtime:
    """One service's live dependencies in one process."""

    def __init__(self, service: ServiceDefinition, settings: Settings, db: Database | None = None):
        self.service = service
        self.settings = settings
        self.db = db or Database(settings.database_url, service=service.name)
        self.db.sessions.configure(info={"service": service.name, "runtime": self})
        # Read now, so that a misconfigured service stops at start-up.
        self.service_settings = load_service_settings(service.settings, settings) if service.settings else None
        self._dependencies = None
        self._verifier = None
        self._audit_keys = None
        self._clients: dict[str, Any] = {}
        self._credentials = None
        self._lock = threading.RLock()

    @staticmethod
    def of(session: Session) -> "Runtime":
        """The runtime a session belongs to (for handlers and the service layer)."""
        return session.info["runtime"]

    @property
    def dependencies(self):
        with self._lock:
            if self._dependencies is None:
                if self.service.dependencies is None:
                    raise AttributeError(f"the {self.service.name} service declares no dependencies")
                self._dependencies = self.service.dependencies(self)
            return self._dependencies

    @property
    def verifier(self):
        if self._verifier is None:
            from .auth import TokenVerifier
            self._verifier = TokenVerifier(self.settings)
        return self._verifier

    @property
    def audit_keys(self):
        if self._audit_keys is None:
            from .audit import AuditKeys
            self._audit_keys = AuditKeys.from_settings(self.settings)
        return self._audit_keys

    @cached_property
    def topology(self) -> Topology:
        from .bus import Topology
        return Topology(namespace=self.settings.bus_namespace, quorum=not self.settings.uses_memory_bus)

    @property
    def broker_users(self) -> BrokerUsers:
        from .bus import BrokerUsers
        return BrokerUsers(own=self.settings.broker_user, of=self.settings.broker_user_of)

    @property
    def queues(self) -> ServiceQueues:
        return self.topology.for_service(self.service.name, self.service.subscriptions.routing_keys,
                                         self.settings.retry_delays, self.settings.delivery_limit)

    def client(self, other_service: str):
        """An HTTP client for another service's API (timeouts, retries on
        idempotent calls, this service's identity, correlation id)."""
        with self._lock:
            if other_service not in self._clients:
                from .http_client import ClientCredentials, ServiceClient
                if self._credentials is None:
                    self._credentials = ClientCredentials(self.settings)
                self._clients[other_service] = ServiceClient(self.settings, other_service,
                                                             credentials=self._credentials)
            return self._clients[other_service]

    def outbox_backlog(self) -> int:
        with self.db.transaction() as session:
            return session.scalar(select(func.count()).select_from(outbox_events)
                                  .where(outbox_events.c.published_at.is_(None)))

    def publisher(self) -> Publisher:
        """Publishes as this service's broker user (the AMQP user_id)."""
        from .bus import Publisher
        return Publisher(self.settings.broker_url, self.topology, user_id=self.settings.broker_user)

    def relay(self):
        from .outbox import OutboxRelay
        return OutboxRelay(self.db, self.publisher(),
                           batch_size=self.settings.relay_batch_size,
                           poll_interval=self.settings.relay_poll_interval,
                           retention_days=self.settings.relay_retention_days)

    def consumer(self) -> EventConsumer:
        from .bus import EventConsumer
        return EventConsumer(self.service.name, self.db, self.service.subscriptions, self.queues,
                             self.settings.broker_url, self.broker_users, prefetch_count=self.settings.prefetch_count)

    def check_broker_user(self) -> None:
        """A worker that would publish as another service's user (or under a
        name no consumer expects) stops at start-up instead of having every
        event it publishes refused."""
        if self.settings.broker_user != self.settings.broker_user_of(self.service.name):
            raise ConfigurationError(
                f"BROKER_URL logs in as {self.settings.broker_user!r}, but the {self.service.name} service's "
                f"events are accepted only from {self.settings.broker_user_of(self.service.name)!r} "
                "(BROKER_USER_TEMPLATE)")

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        close = getattr(self._dependencies, "close", None)
        if close is not None:
            close()
        self.db.dispose()
