"""The delivery queue as operations see it: what failed, and sending a
failed delivery again once its cause is fixed."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from carebridge import clock
from carebridge.db import among_patients, get_or_404, where_equal
from carebridge.errors import InvalidTransition, RuleViolation

from ..domain.routing import Target
from ..domain.vocabulary import BOUNCED, FAILED, PENDING, WEBHOOK_CHANNEL
from ..persistence.directory import Directory
from ..persistence.notifications import Delivery, Notification
from ..persistence.webhook_subscriptions import WebhookSubscription
from .letters_to_people import PEOPLE, may_still_tell
from .reachability import reachability_of

RETRYABLE = (FAILED, BOUNCED)


def deliveries_in(status: str, channel: str | None = None, *, visible_patients=None):
    """Deliveries in `status` (on `channel`), about the patients the caller
    may see (`audited_search`; None: every patient)."""
    statement = where_equal(select(Delivery).join(Delivery.notification).where(Delivery.status == status),
                            Delivery, {"channel": channel}, ("channel",))
    statement = among_patients(statement, Notification.patient_id, visible_patients)
    return statement.options(selectinload(Delivery.notification)).order_by(Delivery.updated_at.desc(), Delivery.id)


def find(session: Session, delivery_id: uuid.UUID) -> Delivery:
    return get_or_404(session, Delivery, delivery_id, "delivery")


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
    if delivery.notification.recipient_type in PEOPLE:
        allowed = may_still_tell(session, delivery.notification)
        if not allowed:
            raise RuleViolation("This person may not receive this message now (consent withdrawn, opted out or "
                                "no longer reachable); nothing was changed.")
    address = _current_address(session, delivery)
    if not address:
        raise RuleViolation("There is no usable address on file for this channel now; nothing was changed.")
    now = clock.now()
    delivery.address, delivery.status, delivery.attempts = address, PENDING, 0
    delivery.next_attempt_at, delivery.updated_at, delivery.last_error = now, now, None
    delivery.lease_token = delivery.lease_until = None
    session.flush()
    return delivery
