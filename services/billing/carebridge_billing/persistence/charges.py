"""Charges: what a completed visit costs at the fee schedule's price."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, Uuid, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from carebridge.db import MoneyAmount, UTCDateTime

from .base import Base

# billed: on a claim; self-pay: no coverage on the service date (yet).
CHARGE_STATUSES = ("billed", "self-pay")


class Charge(Base):
    __tablename__ = "charges"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    # One charge per visit, by construction: a redelivered or repeated
    # completion cannot charge twice.
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    service_code: Mapped[str] = mapped_column(String(20), nullable=False)
    appointment_type_code: Mapped[str | None] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    service_date: Mapped[date] = mapped_column(Date, nullable=False)
    amount: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    claim_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("claims.id"), index=True)
    prior_auth_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("prior_authorizations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


def charge_for_appointment(session: Session, appointment_id: uuid.UUID) -> Charge | None:
    return session.scalars(select(Charge).where(Charge.appointment_id == appointment_id)).first()
