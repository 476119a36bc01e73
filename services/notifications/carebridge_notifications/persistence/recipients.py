"""The recipient directory: what this service knows of the people it tells,
kept from the patients service's events (each row holds the revision it was
built from, so an older event arriving late changes nothing)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from carebridge.db import UTCDateTime

from .base import Base


class _Reachable:
    """How to reach a person and in which words."""
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    language: Mapped[str] = mapped_column(String(35), nullable=False)
    time_zone: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(200))
    sms_number: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class _CommunicationChoices:
    """What the person told the patients service about being contacted."""
    preferred_channel: Mapped[str] = mapped_column(String(20), nullable=False)
    quiet_hours_start: Mapped[str | None] = mapped_column(String(5))
    quiet_hours_end: Mapped[str | None] = mapped_column(String(5))
    sms_consent: Mapped[bool] = mapped_column(Boolean, nullable=False)


class PractitionerRecipient(_Reachable, Base):
    __tablename__ = "practitioner_recipients"
    practitioner_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    role: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)


class PatientRecipient(_Reachable, _CommunicationChoices, Base):
    __tablename__ = "patient_recipients"
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    # Staff are entitled to know which patient a notice is about: its
    # in-app text names the MRN (never email or SMS, nor anything sent to others).
    mrn: Mapped[str | None] = mapped_column(String(64), nullable=True)


class RelatedPersonRecipient(_Reachable, _CommunicationChoices, Base):
    __tablename__ = "related_person_recipients"
    related_person_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    relationship: Mapped[str] = mapped_column(String(40), nullable=False)
    consent_appointments: Mapped[bool] = mapped_column(Boolean, nullable=False)
    consent_care_plan: Mapped[bool] = mapped_column(Boolean, nullable=False)
    consent_billing: Mapped[bool] = mapped_column(Boolean, nullable=False)
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def consents_to(self, category: str) -> bool:
        return self.active and self.consent_withdrawn_at is None and bool(getattr(self, f"consent_{category}", False))


class StaffInTraining(Base):
    """Who is in training (from `patients.practitioner-training-changed`):
    they receive no escalations until signed off. Kept apart from their
    directory entry, whose revision is another record's."""
    __tablename__ = "staff_in_training"
    practitioner_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    mentor_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    in_training: Mapped[bool] = mapped_column(Boolean, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
