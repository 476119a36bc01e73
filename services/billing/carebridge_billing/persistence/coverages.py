"""Coverage: a patient's insurance, its cost sharing, and what the patient
has paid toward the deductible and out-of-pocket maximum each plan year."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Uuid, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from carebridge.db import MoneyAmount, UTCDateTime

from .base import Base

PRIORITY_RANK = {"primary": 1, "secondary": 2, "tertiary": 3}


class Coverage(Base):
    __tablename__ = "coverages"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    payer_id: Mapped[str] = mapped_column(String(60), nullable=False)
    plan_id: Mapped[str] = mapped_column(String(60), nullable=False)
    member_id: Mapped[str] = mapped_column(String(60), nullable=False)
    group_id: Mapped[str | None] = mapped_column(String(60))
    # The policy holder's member id when the patient is a dependant.
    subscriber_member_id: Mapped[str | None] = mapped_column(String(60))
    relationship_to_subscriber: Mapped[str] = mapped_column(String(20), nullable=False)
    priority: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    effective_start: Mapped[date] = mapped_column(Date, nullable=False)
    effective_end: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    # An exact two-place decimal (the kit's exact column type), a percentage.
    coinsurance_percent: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    deductible: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    out_of_pocket_max: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    plan_year_start_month: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    copays: Mapped[list["CoverageCopay"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CoverageCopay.category")

    __mapper_args__ = {"version_id_col": version}

    def copay_for(self, category: str) -> Decimal | None:
        return next((c.amount for c in self.copays if c.category == category), None)

    def is_effective_on(self, on: date) -> bool:
        return (self.status == "active" and self.effective_start <= on
                and (self.effective_end is None or on <= self.effective_end))


class CoverageCopay(Base):
    __tablename__ = "coverage_copays"
    coverage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coverages.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)


class PlanYearAccumulator(Base):
    """What the patient has paid toward the deductible and the out-of-pocket
    maximum in one plan year of one coverage."""
    __tablename__ = "coverage_accumulators"
    coverage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coverages.id"), primary_key=True)
    plan_year_start: Mapped[date] = mapped_column(Date, primary_key=True)
    deductible_met: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    out_of_pocket_met: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class EligibilityCheck(Base):
    __tablename__ = "eligibility_checks"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    coverage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coverages.id"), nullable=False, index=True)
    service_date: Mapped[date] = mapped_column(Date, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    reason_code: Mapped[str | None] = mapped_column(String(40))
    checked_by: Mapped[str] = mapped_column(String(200), nullable=False)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


Index("ix_coverages_patient_priority", Coverage.patient_id, Coverage.priority)


def effective_on(patient_id: uuid.UUID, on: date):
    """A SELECT of the patient's active coverages on a date."""
    return (select(Coverage)
            .where(Coverage.patient_id == patient_id, Coverage.status == "active",
                   Coverage.effective_start <= on,
                   or_(Coverage.effective_end.is_(None), Coverage.effective_end >= on))
            .order_by(Coverage.created_at))


def coverages_on(session: Session, patient_id: uuid.UUID, on: date) -> list[Coverage]:
    """The patient's active coverages on a date, primary first."""
    found = session.scalars(effective_on(patient_id, on)).all()
    return sorted(found, key=lambda c: PRIORITY_RANK[c.priority])


def inactive_on(session: Session, patient_id: uuid.UUID, on: date) -> list[Coverage]:
    """The patient's coverages for a date that the payer reported inactive, primary first."""
    found = session.scalars(
        select(Coverage).where(Coverage.patient_id == patient_id, Coverage.status == "inactive",
                               Coverage.effective_start <= on,
                               or_(Coverage.effective_end.is_(None), Coverage.effective_end >= on))
        .order_by(Coverage.created_at)).all()
    return sorted(found, key=lambda c: PRIORITY_RANK[c.priority])


def primary_coverage_on(session: Session, patient_id: uuid.UUID, on: date) -> Coverage | None:
    return next((c for c in coverages_on(session, patient_id, on) if c.priority == "primary"), None)


def accumulator(session: Session, coverage_id: uuid.UUID, plan_year_start: date, *,
                for_update: bool = False) -> PlanYearAccumulator | None:
    statement = select(PlanYearAccumulator).where(PlanYearAccumulator.coverage_id == coverage_id,
                                                  PlanYearAccumulator.plan_year_start == plan_year_start)
    if for_update:
        statement = statement.with_for_update()
    return session.scalars(statement).first()


def latest_eligibility(session: Session, coverage_id: uuid.UUID) -> EligibilityCheck | None:
    return session.scalars(select(EligibilityCheck).where(EligibilityCheck.coverage_id == coverage_id)
                           .order_by(EligibilityCheck.checked_at.desc()).limit(1)).first()
