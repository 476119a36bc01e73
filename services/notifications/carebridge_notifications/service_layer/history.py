"""What a patient's people were told: notifications and escalations, for
coordinators and the care team."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge.errors import NotFoundError

from ..persistence.escalations import Escalation
from ..persistence.notifications import Notification


def notifications_about(patient_id: uuid.UUID, *, event_type: str | None = None, category: str | None = None,
                        recipient_type: str | None = None):
    statement = select(Notification).where(Notification.patient_id == patient_id)
    if event_type:
        statement = statement.where(Notification.source_event_type == event_type)
    if category:
        statement = statement.where(Notification.category == category)
    if recipient_type:
        statement = statement.where(Notification.recipient_type == recipient_type)
    return statement.order_by(Notification.created_at.desc(), Notification.id)


def escalations_about(patient_id: uuid.UUID, *, status: str | None = None):
    statement = select(Escalation).where(Escalation.patient_id == patient_id)
    if status:
        statement = statement.where(Escalation.status == status)
    return statement.order_by(Escalation.created_at.desc(), Escalation.id)


def find_escalation(session: Session, escalation_id: uuid.UUID) -> Escalation:
    escalation = session.get(Escalation, escalation_id)
    if escalation is None:
        raise NotFoundError("No such escalation.")
    return escalation
