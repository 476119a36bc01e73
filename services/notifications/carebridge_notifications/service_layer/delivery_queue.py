"""The queue of deliveries waiting to go out by email, SMS or webhook.

A sender claims a batch in one short transaction (FOR UPDATE SKIP LOCKED on
PostgreSQL; SQLite has one writer at a time), taking a lease on each row and
counting the attempt. It sends without holding any lock, then records each
outcome in its own transaction, so a sender that dies between two
deliveries has recorded the first and the second is taken over when its
lease runs out. Only the holder of the current lease may record an outcome.

A message that cannot be written (its letter does not render: a template
asks for a fact its event type does not carry) fails its own delivery for
good and is announced like any other delivery nobody can make; the other
deliveries of the batch go out as usual.
"""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from carebridge import context, outbox

from ..channels.outcome import BOUNCED, SENT, UNSENDABLE, Outcome, OutgoingMessage
from ..domain.templates import template_book
from ..domain.vocabulary import CANCELLED, FAILED, PENDING, WEBHOOK_CHANNEL, audience_kind
from ..domain.vocabulary import BOUNCED as STATUS_BOUNCED
from ..domain.vocabulary import SENT as STATUS_SENT
from ..persistence.notifications import Delivery, Notification
from ..persistence.webhook_subscriptions import WebhookSubscription
from ..settings import NotificationSettings
from .letters_to_people import PEOPLE, LetterOrder, letter_for, may_still_tell

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClaimedDelivery:
    delivery_id: uuid.UUID
    lease_token: uuid.UUID
    lease_until: datetime
    channel: str
    address: str
    # Staff email and SMS, webhook calls: written when claimed.
    message: OutgoingMessage | None = None
    # A letter to a patient or relative: written once, at sending time and
    # outside any transaction, with what other services tell.
    letter: LetterOrder | None = None


def not_written_reason(error: Exception) -> str:
    """The delivery's reason when its message could not be written: the
    exception's class only (its message may quote the facts)."""
    return f"message-not-written-{type(error).__name__}"[:60]


def _message(delivery: Delivery, notification: Notification, subscription: WebhookSubscription | None,
             config: NotificationSettings) -> OutgoingMessage:
    if delivery.channel == WEBHOOK_CHANNEL:
        body = json.dumps({**notification.payload, "notification_id": str(notification.id)},
                          sort_keys=True, separators=(",", ":")).encode()
        return OutgoingMessage(delivery.id, delivery.channel, subscription.url, body=body,
                               event_type=notification.source_event_type, secret=subscription.secret)
    subject, text = template_book().render_push(audience_kind(notification.recipient_type), notification.urgency,
                                                notification.language, config.links)
    return OutgoingMessage(delivery.id, delivery.channel, delivery.address, subject=subject, text=text)


def letter_message(delivery_id, channel: str, address: str, letter: LetterOrder,
                   details: dict | None = None) -> OutgoingMessage:
    written = letter.write(details)
    return OutgoingMessage(delivery_id, channel, address, subject=written.subject, text=written.text)


def claim_due(session: Session, *, now: datetime, config: NotificationSettings) -> list[ClaimedDelivery]:
    due = session.scalars(
        select(Delivery)
        .where(Delivery.status == PENDING, Delivery.next_attempt_at <= now,
               or_(Delivery.lease_until.is_(None), Delivery.lease_until <= now))
        .order_by(Delivery.next_attempt_at)
        .limit(config.delivery_batch_size)
        .with_for_update(skip_locked=True)).all()
    if not due:
        return []
    notifications = {n.id: n for n in session.scalars(
        select(Notification).where(Notification.id.in_({d.notification_id for d in due})))}
    webhook_ids = {notifications[d.notification_id].recipient_id for d in due if d.channel == WEBHOOK_CHANNEL}
    subscriptions = {s.id: s for s in session.scalars(
        select(WebhookSubscription).where(WebhookSubscription.id.in_(webhook_ids)))} if webhook_ids else {}
    token = uuid.uuid4()
    claimed = []
    for delivery in due:
        notification = notifications[delivery.notification_id]
        delivery.updated_at = now
        if config.retry.gives_up_after(delivery.attempts):
            # Its last sender died holding it: no attempt is left.
            _finish(session, delivery, notification, FAILED, delivery.last_error or "sender-lost")
            continue
        subscription = subscriptions.get(notification.recipient_id) if delivery.channel == WEBHOOK_CHANNEL else None
        if delivery.channel == WEBHOOK_CHANNEL and (subscription is None or not subscription.active):
            delivery.status, delivery.last_error = CANCELLED, "subscription-inactive"
            continue
        person = None
        if notification.recipient_type in PEOPLE:
            # Consent and opt-out as they are now, not as they were when
            # the message was queued.
            allowed = may_still_tell(session, notification)
            if not allowed:
                delivery.status, delivery.last_error = CANCELLED, allowed.reason
                log.info("delivery cancelled at sending time", extra={
                    "delivery_id": str(delivery.id), "channel": delivery.channel, "reason": allowed.reason})
                continue
            person = allowed.person
        delivery.attempts += 1
        delivery.lease_token, delivery.lease_until = token, now + timedelta(seconds=config.delivery_lease_seconds)
        letter = message = None
        if person is not None:
            letter = letter_for(session, notification, person, delivery.channel, config)
        else:
            try:
                message = _message(delivery, notification, subscription, config)
            except Exception as error:  # noqa: BLE001 - a wording bug fails this delivery alone
                log.error("message could not be written; the delivery fails for good",
                          extra={"delivery_id": str(delivery.id), "notification_id": str(notification.id),
                                 "channel": delivery.channel, "error_type": type(error).__name__})
                _finish(session, delivery, notification, FAILED, not_written_reason(error))
                continue
        claimed.append(ClaimedDelivery(delivery.id, token, delivery.lease_until, delivery.channel,
                                       delivery.address, message, letter))
    return claimed


def record_outcome(session: Session, claimed: ClaimedDelivery, outcome: Outcome, *, now: datetime,
                   config: NotificationSettings) -> str | None:
    """Store what became of one attempt; returns the delivery's new status,
    or None when the lease was lost (another sender took the delivery over)."""
    delivery = session.get(Delivery, claimed.delivery_id, with_for_update=True)
    if delivery is None or delivery.status != PENDING or delivery.lease_token != claimed.lease_token:
        log.warning("delivery outcome arrived after its lease was lost; keeping the current state",
                    extra={"delivery_id": str(claimed.delivery_id), "channel": claimed.channel})
        return None
    delivery.lease_token = delivery.lease_until = None
    delivery.updated_at = now
    if outcome.kind == SENT:
        delivery.status, delivery.sent_at = STATUS_SENT, now
        delivery.provider_reference, delivery.last_error = outcome.reference, None
        return STATUS_SENT
    notification = session.get(Notification, delivery.notification_id)
    if outcome.kind == BOUNCED:
        _finish(session, delivery, notification, STATUS_BOUNCED, outcome.reason)
    elif outcome.kind == UNSENDABLE or config.retry.gives_up_after(delivery.attempts):
        _finish(session, delivery, notification, FAILED, outcome.reason)
    else:
        delivery.last_error = outcome.reason
        delivery.next_attempt_at = config.retry.next_attempt(delivery.attempts, now)
        log.info("delivery attempt failed; retrying later",
                 extra={"delivery_id": str(delivery.id), "channel": delivery.channel, "attempt": delivery.attempts,
                        "reason": outcome.reason})
    return delivery.status


def _finish(session: Session, delivery: Delivery, notification: Notification, status: str, reason: str) -> None:
    """A delivery that will never go out: recorded, and announced."""
    delivery.status, delivery.last_error = status, reason
    delivery.lease_token = delivery.lease_until = None
    log.warning("delivery failed for good", extra={"delivery_id": str(delivery.id), "channel": delivery.channel,
                                                   "status": status, "reason": reason})
    with context.acting(correlation=notification.correlation_id, causation=str(notification.source_event_id)):
        outbox.record(session, "notifications.delivery-failed", {
            "delivery_id": delivery.id, "notification_id": notification.id,
            "source_event_id": notification.source_event_id, "source_event_type": notification.source_event_type,
            "patient_id": notification.patient_id, "recipient_type": notification.recipient_type,
            "recipient_id": notification.recipient_id, "channel": delivery.channel,
            "attempts": max(delivery.attempts, 1), "reason": reason or status})
