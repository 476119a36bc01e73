"""A practitioner's in-app inbox: their notifications, newest first, the
unread count, marking read and acknowledging."""
from __future__ import annotations

import uuid

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404

from ..domain.vocabulary import PRACTITIONER, URGENT
from ..persistence.notifications import Notification
from .escalations import acknowledge_escalation


def inbox_of(practitioner_id: uuid.UUID, *, unread_only: bool = False, urgent_only: bool = False):
    statement = select(Notification).where(Notification.recipient_type == PRACTITIONER,
                                           Notification.recipient_id == practitioner_id)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    if urgent_only:
        statement = statement.where(Notification.urgency == URGENT)
    return statement.order_by(Notification.created_at.desc(), Notification.id)


def unread_counts(session: Session, practitioner_id: uuid.UUID) -> dict:
    unread, urgent = session.execute(
        select(func.count(), func.coalesce(func.sum(case((Notification.urgency == URGENT, 1), else_=0)), 0))
        .where(Notification.recipient_type == PRACTITIONER, Notification.recipient_id == practitioner_id,
               Notification.read_at.is_(None))).one()
    unacknowledged = session.scalar(
        select(func.count()).where(Notification.recipient_type == PRACTITIONER,
                                   Notification.recipient_id == practitioner_id, Notification.urgency == URGENT,
                                   Notification.acknowledged_at.is_(None)))
    return {"unread": unread, "urgent_unread": urgent, "urgent_unacknowledged": unacknowledged}


def find(session: Session, notification_id: uuid.UUID) -> Notification:
    return get_or_404(session, Notification, notification_id, "notification")


def is_addressed_to(notification: Notification, practitioner_id: uuid.UUID | None) -> bool:
    return notification.recipient_type == PRACTITIONER and notification.recipient_id == practitioner_id


def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = clock.now()
    return notification


def acknowledge(session: Session, notification: Notification, *, by: str) -> Notification:
    """Acknowledging an urgent notification says "I have it in hand": it
    stops the escalation of that event for everyone."""
    now = clock.now()
    if notification.acknowledged_at is None:
        notification.acknowledged_at = now
        mark_read(notification)
        if notification.urgency == URGENT:
            acknowledge_escalation(session, notification.source_event_id, by=by, now=now)
    session.flush()
    return notification
