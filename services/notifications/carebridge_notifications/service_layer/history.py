"""What a patient's people were told: notifications and escalations, for
coordinators and the care team."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge.db import get_or_404, where_equal

from ..persistence.escalations import Escalation
from ..persistence.notifications import Notification


def notifications_about(patient_id: uuid.UUID, *, event_type: str | None = None, category: str | None = None,
                        recipient_type: str | None = None):
    statement = where_equal(select(Notification).where(Notification.patient_id == patient_id), Notification,
                            {"source_event_type": event_type, "category": category, "recipient_type": recipient_type},
                            ("source_event_type", "category", "recipient_type"))
    return statement.order_by(Notification.created_at.desc(), Notification.id)


def escalations_about(patient_id: uuid.UUID, *, status: str | None = None):
    statement = where_equal(select(Escalation).where(Escalation.patient_id == patient_id), Escalation,
                            {"status": status}, ("status",))
    return statement.order_by(Escalation.created_at.desc(), Escalation.id)


def find_escalation(session: Session, escalation_id: uuid.UUID) -> Escalation:
    return get_or_404(session, Escalation, escalation_id, "escalation")
