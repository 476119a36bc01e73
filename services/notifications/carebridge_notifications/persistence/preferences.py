"""Preferences people set here: channels per category, quiet hours, opt-out,
and (for staff) SMS consent. A missing row means "the defaults"."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from carebridge.db import JsonDocument, UTCDateTime

from .base import Base


class Preference(Base):
    __tablename__ = "preferences"
    recipient_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    recipient_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Null: the quiet hours the patients service records apply (none for staff).
    quiet_hours_start: Mapped[str | None] = mapped_column(String(5))
    quiet_hours_end: Mapped[str | None] = mapped_column(String(5))
    # {category: [channel, ...]}; a category not named keeps the default.
    channels: Mapped[dict] = mapped_column(JsonDocument(), nullable=False, default=dict)
    # Staff only: patients and relatives record SMS consent in the patients service.
    sms_consent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    sms_consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sms_consent_recorded_by: Mapped[str | None] = mapped_column(String(200))
    # Patients and relatives: "full" (the message itself in the email or
    # SMS) or "private" (a short notice and the secure link). Null: full by
    # email, private by SMS.
    message_detail: Mapped[str | None] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(200), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
