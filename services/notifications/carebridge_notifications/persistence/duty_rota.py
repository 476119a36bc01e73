"""The duty rota of the staff directory: who is on call, and who supervises,
when. Escalation reaches them after the care team (see service_layer/escalations)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, Uuid, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from carebridge.db import UTCDateTime

from .base import Base
from .recipients import PractitionerRecipient

ON_CALL, SUPERVISOR = "on-call", "supervisor"
DUTIES = (ON_CALL, SUPERVISOR)


class DutyShift(Base):
    __tablename__ = "duty_shifts"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    practitioner_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    duty: Mapped[str] = mapped_column(String(20), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="period"),
                      Index("ix_duty_shifts_duty_period", "duty", "starts_at", "ends_at"))


def on_duty(session: Session, duty: str, at: datetime) -> list[uuid.UUID]:
    """The active practitioners on this duty at this moment, earliest shift first."""
    return list(dict.fromkeys(session.scalars(
        select(DutyShift.practitioner_id)
        .join(PractitionerRecipient, PractitionerRecipient.practitioner_id == DutyShift.practitioner_id)
        .where(DutyShift.duty == duty, DutyShift.starts_at <= at, DutyShift.ends_at > at,
               PractitionerRecipient.active.is_(True))
        .order_by(DutyShift.starts_at, DutyShift.id))))
