"""The event catalogue: one module per producer, one schema per type and
version. Importing this package registers every schema."""
from . import audit, billing, careplans, notifications, patients, scheduling  # noqa: F401

# Types no service subscribes to yet (docs/architecture.md says "not consumed
# yet" for each; tests/unit/test_architecture_document.py keeps the two
# equal). The outbox relay publishes with `mandatory`: an event the broker
# returns as unroutable stays in the outbox to be retried, except one of
# these, which no queue is meant to receive.
NOT_CONSUMED_YET = frozenset({
    "careplans.plan-status-changed",
    "scheduling.appointment-checked-in",
    "scheduling.appointment-noshow-corrected",
    "billing.prior-auth-expiring",
    "billing.claim-submitted",
    "billing.claim-paid",
    "billing.issue-resolved",
    "notifications.delivery-failed",
})
