"""Cost estimates given to patients, kept as given."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from carebridge.db import MoneyAmount, UTCDateTime
from carebridge.events.catalogue.billing import ESTIMATE_BASES  # noqa: F401 - one list, the event's

from .base import Base



class Estimate(Base):
    __tablename__ = "estimates"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    coverage_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coverages.id"))
    service_code: Mapped[str] = mapped_column(String(20), nullable=False)
    appointment_type_code: Mapped[str | None] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    service_date: Mapped[date] = mapped_column(Date, nullable=False)
    basis: Mapped[str] = mapped_column(String(20), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    charge: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    copay: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    deductible: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    coinsurance: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    patient_pays: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    plan_pays: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    explanation: Mapped[str] = mapped_column(Text, nullable=False)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
