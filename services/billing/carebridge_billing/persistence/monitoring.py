"""What billing keeps of remote patient monitoring, from the monitoring
service's events, to charge it per patient and calendar month: the
enrolments, each day with a reading, each entry of staff minutes, and the
periods already charged."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from carebridge.db import UTCDateTime

from .base import Base


class MonitoringEnrolment(Base):
    __tablename__ = "monitoring_enrolments"
    enrolment_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(10), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    # Set with its 99453 (device set-up and education), charged once.
    set_up_charged: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class MonitoringDay(Base):
    """A calendar day (the patient's time zone) on which a device sent readings."""
    __tablename__ = "monitoring_days"
    enrolment_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)


class MonitoringMinutes(Base):
    """Minutes of monitoring work by staff, one row per recorded entry."""
    __tablename__ = "monitoring_minutes"
    time_entry_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    enrolment_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    performed_on: Mapped[date] = mapped_column(Date, nullable=False)


class MonitoringCharge(Base):
    """One charge of a monitoring code for one period: the unique key is what
    keeps a code from being charged twice for the same patient and period
    (`2026-03` for the month's 99454 and 99457, `2026-03#2` for its second
    99458, `enrolment:<id>` for the one 99453), whatever the races."""
    __tablename__ = "monitoring_charges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    service_code: Mapped[str] = mapped_column(String(20), nullable=False)
    period: Mapped[str] = mapped_column(String(60), nullable=False)
    charge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("charges.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (UniqueConstraint("patient_id", "service_code", "period",
                                       name="uq_monitoring_charges_patient_code_period"),)
