"""The delivery queue as operations see it: what failed, and sending a
failed delivery again once its cause is fixed."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from carebridge import clock
from carebridge.errors import InvalidTransition, NotFoundError, RuleViolation

from ..domain.routing import Target
from ..domain.vocabulary import BOUNCED, FAILED, PENDING, WEBHOOK_CHANNEL
from ..persistence.directory import Directory
from ..persistence.notifications import Delivery
from ..persistence.webhook_subscriptions import WebhookSubscription
from .reachability import reachability_of

RETRYABLE = (FAILED, BOUNCED)


def deliveries_in(status: str, channel: str | None = None):
    statement = select(Delivery).where(Delivery.status == status).options(selectinload(Delivery.notification))
    if channel:
        statement = statement.where(Delivery.channel == channel)
    return statement.order_by(Delivery.updated_at.desc(), Delivery.id)


def find(session: Session, delivery_id: uuid.UUID) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFoundError("No such delivery.")
    return delivery


def _current_address(session: Session, delivery: Delivery) -> str | None:
    notification = delivery.notification
    if delivery.channel == WEBHOOK_CHANNEL:
        subscription = session.get(WebhookSubscription, notification.recipient_id)
        return subscription.url if subscription is not None and subscription.active else None
    directory = Directory(session, patient_id=notification.patient_id, care_team_id=None, at=clock.now())
    target = Target(notification.recipient_type, notification.recipient_id, notification.template,
                    notification.urgency)
    person = reachability_of(directory, [target])[(target.recipient_type, target.recipient_id)]
    return person.address_for(delivery.channel) if person else None


def send_again(session: Session, delivery: Delivery) -> Delivery:
    """A failed or bounced delivery goes out again, to the address on file
    now (the reason it failed may have been an old address), with a fresh
    set of attempts."""
    if delivery.status not in RETRYABLE:
        raise InvalidTransition(delivery.status, PENDING, allowed=[PENDING] if delivery.status in RETRYABLE else [])
    address = _current_address(session, delivery)
    if not address:
        raise RuleViolation("There is no usable address on file for this channel now; nothing was changed.")
    now = clock.now()
    delivery.address, delivery.status, delivery.attempts = address, PENDING, 0
    delivery.next_attempt_at, delivery.updated_at, delivery.last_error = now, now, None
    delivery.lease_token = delivery.lease_until = None
    session.flush()
    return delivery
