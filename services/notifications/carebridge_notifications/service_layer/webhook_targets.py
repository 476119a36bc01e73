"""Which webhook subscriptions want an event type, asked on every fan-out.

The answer is kept for a few seconds (WEBHOOK_SUBSCRIPTIONS_CACHE_SECONDS)
so that the consumer's hot path does not query a table that rarely changes:
a new subscription starts receiving within that time, and calls for a
subscription deactivated or removed meanwhile are cancelled by the sender.
"""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge.service import Runtime

from ..persistence.webhook_subscriptions import WebhookSubscription


@dataclass(frozen=True)
class WebhookTarget:
    id: uuid.UUID
    url: str
    event_types: frozenset[str]


class ActiveWebhookSubscriptions:
    """One per runtime (`runtime.dependencies.webhook_targets`), shared
    by its consumer threads."""

    def __init__(self, lifetime: float):
        self.lifetime = lifetime
        self._lock = threading.Lock()
        self._loaded_at = float("-inf")
        self._targets: tuple[WebhookTarget, ...] = ()

    def wanting(self, session: Session, event_type: str) -> list[WebhookTarget]:
        with self._lock:
            # Process time, not the domain clock: this is only a cache's age.
            if time.monotonic() - self._loaded_at >= self.lifetime:
                self._targets = tuple(
                    WebhookTarget(s.id, s.url, frozenset(s.event_types)) for s in session.scalars(
                        select(WebhookSubscription).where(WebhookSubscription.active.is_(True))))
                self._loaded_at = time.monotonic()
            return [target for target in self._targets if event_type in target.event_types]


def webhooks_wanting(session: Session, event_type: str) -> list[WebhookTarget]:
    return Runtime.of(session).dependencies.webhook_targets.wanting(session, event_type)
