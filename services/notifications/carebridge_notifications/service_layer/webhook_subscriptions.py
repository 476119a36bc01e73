"""Webhook subscriptions of staff apps: which event types they want, where,
and the secret that signs each call."""
from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import RuleViolation

from ..domain.routing_rules import RULES
from ..persistence.webhook_subscriptions import WebhookSubscription

# The events a subscription may name: those this service fans out.
SUBSCRIBABLE_EVENT_TYPES = tuple(sorted(RULES))


def _check(data: dict, *, require_https: bool, target_rule=None) -> None:
    errors = {}
    parts = urlsplit(data["url"])
    allowed = ("https",) if require_https else ("https", "http")
    if parts.scheme not in allowed or not parts.netloc:
        errors["url"] = [f"must be an absolute {' or '.join(allowed)} URL"]
    elif target_rule is not None and (refusal := target_rule.refusal(data["url"])) is not None:
        errors["url"] = ["must not point into the internal network (loopback, private, link-local or metadata "
                         "addresses) unless allow-listed" if refusal == "internal-address"
                         else "its host name does not resolve"]
    unknown = sorted(set(data["event_types"]) - set(SUBSCRIBABLE_EVENT_TYPES))
    if unknown:
        errors["event_types"] = [f"not an event this service fans out: {', '.join(unknown)}"]
    if errors:
        raise RuleViolation("The subscription cannot be accepted; see errors.", errors=errors)


def create(session: Session, data: dict, *, by: str, require_https: bool,
           target_rule=None) -> WebhookSubscription:
    _check(data, require_https=require_https, target_rule=target_rule)
    now = clock.now()
    subscription = WebhookSubscription(
        id=uuid.uuid4(), url=data["url"], secret=data["secret"], event_types=sorted(set(data["event_types"])),
        description=data.get("description"), active=data.get("active", True), created_at=now, created_by=by,
        updated_at=now)
    session.add(subscription)
    session.flush()
    return subscription


def find(session: Session, subscription_id: uuid.UUID) -> WebhookSubscription:
    return get_or_404(session, WebhookSubscription, subscription_id, "webhook subscription")


def listing():
    return select(WebhookSubscription).order_by(WebhookSubscription.created_at, WebhookSubscription.id)


def replace(session: Session, subscription: WebhookSubscription, data: dict, *, require_https: bool,
            target_rule=None) -> None:
    """Replace url, event types, description and active; the secret only when a new one is given."""
    _check(data, require_https=require_https, target_rule=target_rule)
    subscription.url = data["url"]
    subscription.event_types = sorted(set(data["event_types"]))
    subscription.description = data.get("description")
    subscription.active = data.get("active", True)
    if data.get("secret"):
        subscription.secret = data["secret"]
    subscription.updated_at = clock.now()
    session.flush()


def delete(session: Session, subscription: WebhookSubscription) -> None:
    """Its pending deliveries are cancelled when the sender reaches them."""
    session.delete(subscription)
    session.flush()
