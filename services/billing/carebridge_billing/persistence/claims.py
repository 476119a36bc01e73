"""Claims and the history of their statuses."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carebridge.db import BigIntegerKey, JsonDocument, MoneyAmount, UTCDateTime

from .base import Base
from .charges import Charge


class Claim(Base):
    __tablename__ = "claims"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    coverage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coverages.id"), nullable=False, index=True)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    prior_auth_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("prior_authorizations.id"))
    service_date: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    # What the pending or last submission is: the claim itself or an appeal.
    submission_kind: Mapped[str] = mapped_column(String(10), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    billed: Mapped[Decimal] = mapped_column(MoneyAmount(), nullable=False)
    paid: Mapped[Decimal | None] = mapped_column(MoneyAmount())
    copay: Mapped[Decimal | None] = mapped_column(MoneyAmount())
    deductible: Mapped[Decimal | None] = mapped_column(MoneyAmount())
    coinsurance: Mapped[Decimal | None] = mapped_column(MoneyAmount())
    reason_codes: Mapped[list] = mapped_column(JsonDocument(), nullable=False, default=list)
    payer_claim_id: Mapped[str | None] = mapped_column(String(60))
    submission_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(String(120))
    # When the payer jobs next deal with it: send it (draft, submission-failed)
    # or ask about it (submitted, accepted, appealed). None once settled.
    next_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appeal_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    charges: Mapped[list[Charge]] = relationship(lazy="selectin", order_by=Charge.created_at)
    history: Mapped[list["ClaimStatusChange"]] = relationship(
        lazy="selectin", order_by="ClaimStatusChange.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def patient_responsibility(self) -> Decimal | None:
        if self.paid is None:
            return None
        return (self.copay or 0) + (self.deductible or 0) + (self.coinsurance or 0)

    @property
    def service_codes(self) -> list[str]:
        return [charge.service_code for charge in self.charges]


class ClaimStatusChange(Base):
    __tablename__ = "claim_status_changes"
    id: Mapped[int] = mapped_column(BigIntegerKey(), primary_key=True, autoincrement=True)
    claim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("claims.id"), nullable=False, index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    reason_codes: Mapped[list] = mapped_column(JsonDocument(), nullable=False, default=list)
    # Who moved it: a staff subject, "payer", or "system".
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


Index("ix_claims_due", Claim.status, Claim.next_action_at)
