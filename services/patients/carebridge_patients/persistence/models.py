"""The patients service's tables (its own database; no other service reads them).

Contact points, addresses and communication preferences are small documents
that are always read and replaced whole, so they are JSON columns. Every
table that clients update carries a `version` (SQLAlchemy's version_id_col):
it is the ETag of the API and the `revision` of the events.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carebridge.db import JsonDocument, UTCDateTime, declarative_base

from ..domain.consent import Consent

Base = declarative_base()


def _one_of(column: str, values) -> CheckConstraint:
    quoted = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_known")


class Patient(Base):
    __tablename__ = "patients"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    mrn: Mapped[str] = mapped_column(String(64), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    # Every name folded (lower case, no accents) for partial search.
    search_name: Mapped[str] = mapped_column(String(420), index=True)
    birth_date: Mapped[date] = mapped_column(Date, index=True)
    administrative_sex: Mapped[str] = mapped_column(String(10))
    gender_identity: Mapped[str | None] = mapped_column(String(30))
    contact_points: Mapped[list] = mapped_column(JsonDocument())
    address: Mapped[dict | None] = mapped_column(JsonDocument())
    preferred_language: Mapped[str] = mapped_column(String(35))
    time_zone: Mapped[str] = mapped_column(String(64))
    communication: Mapped[dict] = mapped_column(JsonDocument())
    clinical_setting: Mapped[str | None] = mapped_column(String(30))
    # Where the patient lives when that is a care facility (a nursing home):
    # the id of scheduling's location of the facility (issue 25, item 14).
    facility_location_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(10), index=True)
    deceased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (_one_of("status", ("active", "inactive", "deceased")),)


class Practitioner(Base):
    """The staff directory. The id is also the subject of the person's tokens."""
    __tablename__ = "practitioners"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    search_name: Mapped[str] = mapped_column(String(210), index=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    specialty: Mapped[str | None] = mapped_column(String(80))
    npi: Mapped[str | None] = mapped_column(String(10), unique=True)
    contact_points: Mapped[list] = mapped_column(JsonDocument())
    time_zone: Mapped[str] = mapped_column(String(64))
    preferred_language: Mapped[str] = mapped_column(String(35))
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class PractitionerTraining(Base):
    """A practitioner's onboarding (one record each; starting again after a
    sign-off replaces the checklist and the sign-off: the audit trail keeps
    only that it happened, and when). The checklist is a document of items `{code, kind, title,
    done_at, done_by}`, always read and written whole."""
    __tablename__ = "practitioner_trainings"

    practitioner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("practitioners.id"), primary_key=True)
    mentor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("practitioners.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    checklist: Mapped[list] = mapped_column(JsonDocument())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Who: the practitioner id of the staff member who acted (None for a
    # token naming no practitioner).
    started_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class CareTeam(Base):
    __tablename__ = "care_teams"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10))
    lead_coordinator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("practitioners.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Grows with every change of the team or of any membership: the
    # `revision` of care-team-changed, which consumers order events by.
    version: Mapped[int] = mapped_column(Integer)

    memberships: Mapped[list["CareTeamMembership"]] = relationship(
        back_populates="care_team", lazy="selectin",
        order_by=lambda: [CareTeamMembership.period_start, CareTeamMembership.id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (_one_of("status", ("proposed", "active", "suspended", "inactive")),)


class CareTeamMembership(Base):
    __tablename__ = "care_team_memberships"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    care_team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_teams.id"), index=True)
    practitioner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("practitioners.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    care_team: Mapped[CareTeam] = relationship(back_populates="memberships")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("period_end IS NULL OR period_end >= period_start", name="period_in_order"),)


class RelatedPerson(Base):
    """A family member or caregiver, and what they may be told."""
    __tablename__ = "related_persons"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    relationship: Mapped[str] = mapped_column(String(20))
    contact_points: Mapped[list] = mapped_column(JsonDocument())
    preferred_language: Mapped[str] = mapped_column(String(35))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    communication: Mapped[dict] = mapped_column(JsonDocument())
    active: Mapped[bool] = mapped_column(Boolean)
    consent_appointments: Mapped[bool] = mapped_column(Boolean)
    consent_care_plan: Mapped[bool] = mapped_column(Boolean)
    consent_billing: Mapped[bool] = mapped_column(Boolean)
    consent_recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_withdrawn_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    @property
    def consent(self) -> Consent:
        return Consent(appointments=self.consent_appointments, care_plan=self.consent_care_plan,
                       billing=self.consent_billing, recorded_by=self.consent_recorded_by,
                       recorded_at=self.consent_recorded_at, withdrawn_by=self.consent_withdrawn_by,
                       withdrawn_at=self.consent_withdrawn_at)

    @consent.setter
    def consent(self, value: Consent) -> None:
        self.consent_appointments = value.appointments
        self.consent_care_plan = value.care_plan
        self.consent_billing = value.billing
        self.consent_recorded_by = value.recorded_by
        self.consent_recorded_at = value.recorded_at
        self.consent_withdrawn_by = value.withdrawn_by
        self.consent_withdrawn_at = value.withdrawn_at


class Allergy(Base):
    """An allergy or intolerance. The substance's name stays in this service;
    events carry only its code."""
    __tablename__ = "allergies"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"))
    substance_system: Mapped[str] = mapped_column(String(12))
    substance_code: Mapped[str] = mapped_column(String(64))
    substance_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(12))
    criticality: Mapped[str | None] = mapped_column(String(20))
    severity: Mapped[str | None] = mapped_column(String(10))
    reaction: Mapped[str | None] = mapped_column(String(500))
    clinical_status: Mapped[str] = mapped_column(String(10))
    verification_status: Mapped[str] = mapped_column(String(20))
    onset_date: Mapped[date | None] = mapped_column(Date)
    # The practitioner who recorded it (None for a caller outside the directory).
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_allergies_patient_substance", "patient_id", "substance_system", "substance_code"),)
