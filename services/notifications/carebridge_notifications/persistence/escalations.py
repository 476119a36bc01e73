"""Escalations: an urgent notification nobody acknowledged goes up a chain
of people, one step per timeout, and every step is recorded."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carebridge.db import JsonDocument, UTCDateTime

from .base import Base

OPEN, ACKNOWLEDGED, EXHAUSTED = "open", "acknowledged", "exhausted"


class Escalation(Base):
    __tablename__ = "escalations"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    source_event_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, unique=True)
    source_event_type: Mapped[str] = mapped_column(String(120), nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    correlation_id: Mapped[str | None] = mapped_column(String(128))
    patient_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    care_team_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    template: Mapped[str] = mapped_column(String(60), nullable=False)
    # The event's identifiers and codes, to word each step for its reader.
    event_data: Mapped[dict] = mapped_column(JsonDocument(), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    steps: Mapped[list["EscalationStep"]] = relationship(lazy="selectin", order_by="EscalationStep.level",
                                                         back_populates="escalation")

    __table_args__ = (Index("ix_escalations_due", "status", "due_at"),)


class EscalationStep(Base):
    __tablename__ = "escalation_steps"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    escalation_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("escalations.id"), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    audience: Mapped[str] = mapped_column(String(40), nullable=False)
    recipient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    notification_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("notifications.id"), nullable=False)
    escalated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    escalation: Mapped[Escalation] = relationship(back_populates="steps")

    __table_args__ = (UniqueConstraint("escalation_id", "level", "recipient_id"),)
