"""The event catalogue: one module per producer, one schema per type and
version. Importing this package registers every schema."""
from . import audit, billing, careplans, monitoring, notifications, patients, scheduling  # noqa: F401

# Types no service subscribes to (docs/architecture.md would say "not
# consumed yet" for each; tests/unit/test_architecture_document.py keeps the
# two equal). The outbox relay publishes with `mandatory`: an event the broker
# returns as unroutable stays in the outbox to be retried, except one of
# these, which no queue is meant to receive. Empty today: every type has a
# consumer, and those for outside subscribers only reach the notifications
# service, which forwards them to webhooks.
NOT_CONSUMED_YET: frozenset[str] = frozenset()
