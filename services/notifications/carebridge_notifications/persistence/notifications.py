"""Notifications (one per source event, recipient and escalation level) and
their deliveries (one per notification and channel). The unique keys are
what makes a redelivered event, or a retried fan-out, unable to tell anyone
twice."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carebridge.db import UTCDateTime

from .base import Base


def _optional_json():
    """The kit's JSON document type, but with None stored as SQL NULL (not
    the JSON value null), as the bulk inserts of the fan-out pass it."""
    return JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


class Notification(Base):
    __tablename__ = "notifications"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    source_event_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    source_event_type: Mapped[str] = mapped_column(String(120), nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # The journey the event belongs to, carried into delivery-failed events.
    correlation_id: Mapped[str | None] = mapped_column(String(128))
    patient_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    recipient_type: Mapped[str] = mapped_column(String(20), nullable=False)
    recipient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    urgency: Mapped[str] = mapped_column(String(10), nullable=False)
    template: Mapped[str] = mapped_column(String(60), nullable=False)
    language: Mapped[str] = mapped_column(String(35), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    # What a webhook receives: the event's identifiers and codes.
    payload: Mapped[dict | None] = mapped_column(_optional_json())
    escalation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("escalations.id"))
    escalation_level: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    deliveries: Mapped[list["Delivery"]] = relationship(back_populates="notification", lazy="selectin",
                                                        order_by="Delivery.channel")

    __table_args__ = (
        UniqueConstraint("source_event_id", "recipient_type", "recipient_id", "escalation_level",
                         name="uq_notifications_event_recipient_level"),
        Index("ix_notifications_inbox", "recipient_type", "recipient_id", "created_at"),
        Index("ix_notifications_patient_history", "patient_id", "created_at"),
    )


class Delivery(Base):
    __tablename__ = "deliveries"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    notification_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("notifications.id"), nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    address: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # A sender holds a delivery while it tries it; a lease that runs out (the
    # sender died) lets another sender take it over.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_token: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    last_error: Mapped[str | None] = mapped_column(String(60))
    provider_reference: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    notification: Mapped[Notification] = relationship(back_populates="deliveries")

    __table_args__ = (
        UniqueConstraint("notification_id", "channel"),
        Index("ix_deliveries_due", "next_attempt_at",
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
        Index("ix_deliveries_status", "status"),
    )
