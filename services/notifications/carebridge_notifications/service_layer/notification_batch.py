"""The notifications and deliveries that one event (or one escalation step)
produces, gathered and then written in one go."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.channel_choice import ChannelPlan
from ..domain.templates import Rendered
from ..domain.vocabulary import INAPP, PENDING, SENT
from ..persistence.writes import insert_fan_out


class NotificationBatch:
    def __init__(self, *, source_event_id: uuid.UUID, source_event_type: str, occurred_at: datetime,
                 correlation_id: str | None, patient_id: uuid.UUID | None, category: str, now: datetime):
        self.common = dict(source_event_id=source_event_id, source_event_type=source_event_type,
                           occurred_at=occurred_at, correlation_id=correlation_id, patient_id=patient_id,
                           category=category, created_at=now)
        self.now = now
        self.notifications: list[dict] = []
        self.deliveries: list[dict] = []

    def add(self, *, recipient_type: str, recipient_id: uuid.UUID, urgency: str, template: str,
            rendered: Rendered, plans: list[ChannelPlan], escalation_id: uuid.UUID | None = None,
            escalation_level: int = 0, payload: dict | None = None) -> uuid.UUID:
        notification_id = uuid.uuid4()
        self.notifications.append(dict(
            self.common, id=notification_id, recipient_type=recipient_type, recipient_id=recipient_id,
            urgency=urgency, template=template, language=rendered.language, title=rendered.title[:300],
            body=rendered.body, payload=payload, escalation_id=escalation_id, escalation_level=escalation_level))
        for plan in plans:
            # The inbox holds the notification from the moment this commits:
            # that is its delivery.
            in_app = plan.channel == INAPP
            self.deliveries.append(dict(
                id=uuid.uuid4(), notification_id=notification_id, channel=plan.channel, address=plan.address,
                status=SENT if in_app else PENDING, attempts=1 if in_app else 0,
                sent_at=self.now if in_app else None, next_attempt_at=plan.not_before,
                created_at=self.now, updated_at=self.now))
        return notification_id

    def __len__(self) -> int:
        return len(self.notifications)

    def write(self, session: Session, escalation: dict | None = None) -> None:
        insert_fan_out(session, notifications=self.notifications, deliveries=self.deliveries,
                       escalations=[escalation] if escalation is not None else [])
