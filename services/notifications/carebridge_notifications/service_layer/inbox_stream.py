"""The live stream of a practitioner's inbox: what arrived since the caller
last looked, found by polling the database (the consumer that writes a
notification may run in another process, so the database is the one place
every writer and reader shares).

A notification is written with `created_at` from the consumer's clock and
becomes visible when that transaction commits, which may be a moment later,
so each look reaches back `LOOKBACK` before the newest item already sent and
skips the ids it sent; ids older than that are forgotten.
"""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.vocabulary import PRACTITIONER
from ..persistence.notifications import Notification

LOOKBACK = timedelta(seconds=30)


class InboxCursor:
    """Where a stream is in one practitioner's inbox."""

    def __init__(self, practitioner_id: uuid.UUID):
        self.practitioner_id = practitioner_id
        self.since = None
        self.sent: dict[uuid.UUID, object] = {}

    def _mine(self):
        return select(Notification).where(Notification.recipient_type == PRACTITIONER,
                                          Notification.recipient_id == self.practitioner_id)

    def start(self, session: Session, last_event_id: str | None = None) -> None:
        """Begin after the caller's item `last_event_id` (a reconnecting
        EventSource sends it), else after the newest item there is now."""
        anchor = None
        if last_event_id:
            try:
                anchor = session.scalar(self._mine().where(Notification.id == uuid.UUID(last_event_id)))
            except ValueError:
                anchor = None
        if anchor is None:
            anchor = session.scalar(self._mine().order_by(Notification.created_at.desc(), Notification.id).limit(1))
        if anchor is None:
            return
        self.since = anchor.created_at
        for notification_id, created_at in session.execute(
                select(Notification.id, Notification.created_at)
                .where(Notification.recipient_type == PRACTITIONER,
                       Notification.recipient_id == self.practitioner_id,
                       Notification.created_at >= anchor.created_at - LOOKBACK,
                       Notification.created_at <= anchor.created_at)):
            self.sent[notification_id] = created_at

    def fresh(self, session: Session) -> list[Notification]:
        """The items not sent yet, oldest first; they count as sent from now."""
        statement = self._mine()
        if self.since is not None:
            statement = statement.where(Notification.created_at >= self.since - LOOKBACK)
        items = [n for n in session.scalars(statement.order_by(Notification.created_at, Notification.id))
                 if n.id not in self.sent]
        for notification in items:
            self.sent[notification.id] = notification.created_at
            if self.since is None or notification.created_at > self.since:
                self.since = notification.created_at
        if self.since is not None:
            horizon = self.since - LOOKBACK
            self.sent = {i: at for i, at in self.sent.items() if at >= horizon}
        return items
