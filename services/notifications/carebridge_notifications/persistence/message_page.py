"""What patients and family do on the secure message page: their answers,
and each opening or answer counted for the rate limits."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from carebridge.db import UTCDateTime

from .base import Base


class MessageAnswer(Base):
    """One answer per message: a visit confirmed, cancelled or to move, or
    how the person feels. The comment is the person's own words: it stays
    here, never in an event."""
    __tablename__ = "message_answers"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    notification_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("notifications.id"), nullable=False,
                                                       unique=True)
    patient_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    recipient_type: Mapped[str] = mapped_column(String(20), nullable=False)
    recipient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    answer: Mapped[str] = mapped_column(String(20), nullable=False)
    comment: Mapped[str | None] = mapped_column(Text)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class MessagePageVisit(Base):
    """One opening or answer: by which link (a digest of it) and from which
    network address (a digest too), for the rate limits."""
    __tablename__ = "message_page_visits"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                    autoincrement=True)
    link_key: Mapped[str] = mapped_column(String(40), nullable=False)
    address_key: Mapped[str] = mapped_column(String(40), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (
        Index("ix_message_page_visits_link", "link_key", "at"),
        Index("ix_message_page_visits_address", "address_key", "at"),
    )
