"""Prior authorizations, the visits holding their units, the expiry warnings
already sent, and the appointment states billing has heard of."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Uuid, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from carebridge.db import JsonDocument, UTCDateTime

from .base import Base


class PriorAuthorization(Base):
    __tablename__ = "prior_authorizations"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    coverage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coverages.id"), nullable=False)
    payer_id: Mapped[str] = mapped_column(String(60), nullable=False)
    plan_id: Mapped[str] = mapped_column(String(60), nullable=False)
    service_code: Mapped[str] = mapped_column(String(20), nullable=False)
    # The booking that opened the request, if one did.
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    requested_units: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    authorized_units: Mapped[int | None] = mapped_column(Integer)
    expires_on: Mapped[date | None] = mapped_column(Date)
    payer_reference: Mapped[str | None] = mapped_column(String(60))
    reason_codes: Mapped[list] = mapped_column(JsonDocument(), nullable=False, default=list)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submission_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(String(120))
    # When the payer jobs next send it (not yet submitted) or ask about it.
    next_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    allocations: Mapped[list["PriorAuthAllocation"]] = relationship(
        lazy="selectin", order_by="PriorAuthAllocation.service_date", back_populates="prior_auth")

    __mapper_args__ = {"version_id_col": version}

    def units_in_state(self, state: str) -> int:
        return sum(1 for a in self.allocations if a.state == state)


class PriorAuthAllocation(Base):
    """One visit holding one unit of an authorization (or of a request the
    payer has not decided yet)."""
    __tablename__ = "prior_auth_allocations"
    appointment_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    prior_auth_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("prior_authorizations.id"), nullable=False,
                                                     index=True)
    state: Mapped[str] = mapped_column(String(10), nullable=False)
    service_date: Mapped[date] = mapped_column(Date, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    prior_auth: Mapped[PriorAuthorization] = relationship(back_populates="allocations")


class PriorAuthExpiryWarning(Base):
    """A warning sent; its key makes each warning go out once, even with
    several workers sweeping at the same time."""
    __tablename__ = "prior_auth_warnings"
    prior_auth_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("prior_authorizations.id"), primary_key=True)
    days_before: Mapped[int] = mapped_column(Integer, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class AppointmentState(Base):
    """The last state billing heard for an appointment, so a booking event
    arriving after the cancellation or completion (a retried delivery) does
    not open an authorization request for a visit that is already over."""
    __tablename__ = "appointment_states"
    appointment_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


Index("ix_prior_auths_due", PriorAuthorization.status, PriorAuthorization.next_action_at)
Index("ix_prior_auths_lookup", PriorAuthorization.patient_id, PriorAuthorization.service_code,
      PriorAuthorization.status)


def authorizations_for(session: Session, patient_id: uuid.UUID, coverage_id: uuid.UUID, service_code: str,
                       statuses: tuple[str, ...]) -> list[PriorAuthorization]:
    """Oldest first, locked, so that two bookings cannot take the same last unit."""
    return list(session.scalars(
        select(PriorAuthorization)
        .where(PriorAuthorization.patient_id == patient_id, PriorAuthorization.coverage_id == coverage_id,
               PriorAuthorization.service_code == service_code, PriorAuthorization.status.in_(statuses))
        .order_by(PriorAuthorization.created_at)
        .with_for_update()))


def units_held(session: Session, prior_auth_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).select_from(PriorAuthAllocation).where(
        PriorAuthAllocation.prior_auth_id == prior_auth_id, PriorAuthAllocation.state.in_(("reserved", "used"))))
