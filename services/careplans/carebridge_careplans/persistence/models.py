"""The careplans service's tables (its own database; no other service reads them)."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (Boolean, Date, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Text,
                        UniqueConstraint, Uuid)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carebridge.db import BigIntegerKey, JsonDocument, UTCDateTime, declarative_base

Base = declarative_base()


class CarePlan(Base):
    """The current state of a plan; every change also leaves a CarePlanVersion."""
    __tablename__ = "care_plans"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    care_team_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date | None] = mapped_column(Date)
    warning_signs: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    contacts: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    template_code: Mapped[str | None] = mapped_column(String(80))
    template_version: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    goals: Mapped[list["PlanGoal"]] = relationship(
        back_populates="plan", order_by="PlanGoal.position", cascade="all, delete-orphan")
    activities: Mapped[list["PlanActivity"]] = relationship(
        back_populates="plan", order_by="PlanActivity.position", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class PlanGoal(Base):
    __tablename__ = "plan_goals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_plans.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    target_measure: Mapped[str | None] = mapped_column(String(200))
    target_detail: Mapped[str | None] = mapped_column(String(200))
    target_due_date: Mapped[date | None] = mapped_column(Date)
    lifecycle_status: Mapped[str] = mapped_column(String(20), nullable=False)
    achievement_status: Mapped[str | None] = mapped_column(String(20))

    plan: Mapped[CarePlan] = relationship(back_populates="goals")


class PlanActivity(Base):
    """One activity; `detail` holds the fields of its kind (see the API
    schemas), `ingredient_codes` the RxNorm ingredients of a medication."""
    __tablename__ = "plan_activities"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_plans.id"), nullable=False, index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    status_reason: Mapped[str | None] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(String(300))
    instructions: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict] = mapped_column(JsonDocument(), nullable=False)
    ingredient_codes: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    # For check-in activities of an active plan: when the coordinator's next
    # check-in task is due (the check-in sweep claims it).
    next_check_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    plan: Mapped[CarePlan] = relationship(back_populates="activities")


class CarePlanVersion(Base):
    """An immutable snapshot of the whole plan after each change."""
    __tablename__ = "care_plan_versions"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_plans.id"), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    authored_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # The principal's subject (a practitioner id) or "system" for changes
    # made by events (a booked or missed visit).
    author: Mapped[str] = mapped_column(String(200), nullable=False)
    author_roles: Mapped[str] = mapped_column(String(200), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    changed_sections: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    document: Mapped[dict] = mapped_column(JsonDocument(), nullable=False)
    caused_by_event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __table_args__ = (PrimaryKeyConstraint("plan_id", "version"),)


class MedicationAlert(Base):
    """A medication safety finding, kept with the plan version it belongs to:
    accepted (moderate or minor), overridden (with the reason) or blocked
    (the change was refused; `plan_version` is the version it was tried on)."""
    __tablename__ = "medication_alerts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_plans.id"), nullable=False, index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    plan_version: Mapped[int] = mapped_column(Integer, nullable=False)
    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    severity: Mapped[str] = mapped_column(String(20), nullable=False)
    rxnorm_codes: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    references: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    interacting_activity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    allergy_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    outcome: Mapped[str] = mapped_column(String(20), nullable=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    prescriber_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    detected_by: Mapped[str] = mapped_column(String(200), nullable=False)


class Task(Base):
    """A coordinator worklist item (FHIR Task)."""
    __tablename__ = "tasks"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    care_team_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    requester_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    priority: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    status_reason: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    focus_type: Mapped[str | None] = mapped_column(String(20))
    focus_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Set once by the overdue sweep that published task-overdue.
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Unique while the task is open, cleared when it closes: one open
    # outreach task per missed appointment, one adherence review per
    # medication, whatever the races.
    open_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_tasks_status_due_at", "status", "due_at"),)


class TaskHistory(Base):
    __tablename__ = "task_history"

    id: Mapped[int] = mapped_column(BigIntegerKey(), primary_key=True, autoincrement=True)
    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tasks.id"), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(30), nullable=False)
    from_owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    to_owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)


class DoseRecord(Base):
    __tablename__ = "dose_records"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_plans.id"), nullable=False)
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_activities.id"), nullable=False)
    outcome: Mapped[str] = mapped_column(String(10), nullable=False)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_by: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)

    __table_args__ = (
        # One record per scheduled dose: a second report of the same dose is a conflict.
        UniqueConstraint("activity_id", "scheduled_for"),
        Index("ix_dose_records_activity_scheduled", "activity_id", "outcome", "scheduled_for"),
    )


class CheckIn(Base):
    """A coordinator's check-in or progress note; immutable once written."""
    __tablename__ = "check_ins"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("care_plans.id"))
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tasks.id"))
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    context: Mapped[str] = mapped_column(String(30), nullable=False)
    contact_method: Mapped[str] = mapped_column(String(20), nullable=False)
    reached: Mapped[bool] = mapped_column(Boolean, nullable=False)
    overall: Mapped[str | None] = mapped_column(String(20))
    summary: Mapped[str | None] = mapped_column(Text)
    barriers: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    goal_progress: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)


class AllergyProjection(Base):
    """The patients service's allergies, from `patients.allergy-changed`: codes
    and statuses only, enough for the medication safety check."""
    __tablename__ = "allergy_projection"

    allergy_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    substance_system: Mapped[str] = mapped_column(String(20), nullable=False)
    substance_code: Mapped[str] = mapped_column(String(64), nullable=False)
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    criticality: Mapped[str | None] = mapped_column(String(20))
    clinical_status: Mapped[str] = mapped_column(String(20), nullable=False)
    verification_status: Mapped[str] = mapped_column(String(20), nullable=False)


class PatientProjection(Base):
    """What this service needs to know about a patient (from
    `patients.patient-registered` / `-updated`): that they exist, and
    whether they are still active."""
    __tablename__ = "patient_projection"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    # IANA zone: a booked visit's time in the patient's summary is the patient's local time.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # BCP 47 tag: the plain-language summary is written in it when it can be.
    preferred_language: Mapped[str | None] = mapped_column(String(35))


class MentorshipProjection(Base):
    """Who mentors whom (from `patients.practitioner-training-changed`):
    while a practitioner is in training their mentor may read their tasks
    in the worklist."""
    __tablename__ = "mentorship_projection"

    trainee_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    mentor_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    in_training: Mapped[bool] = mapped_column(Boolean, nullable=False)


class KnownAppointment(Base):
    """Whose each visit is (from scheduling's appointment events): a check-in
    or task may name only an appointment of its own patient."""
    __tablename__ = "known_appointments"

    appointment_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)


class ParkedEvent(Base):
    """An event about a patient this service does not know yet, kept (not
    lost) until the patient becomes known, then applied."""
    __tablename__ = "parked_events"

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(120), nullable=False)
    event_version: Mapped[int] = mapped_column(Integer, nullable=False)
    patient_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    reason: Mapped[str] = mapped_column(String(60), nullable=False)
    envelope: Mapped[str] = mapped_column(Text, nullable=False)
    parked_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


__all__ = ["Base", "CarePlan", "PlanGoal", "PlanActivity", "CarePlanVersion", "MedicationAlert", "Task",
           "TaskHistory", "DoseRecord", "CheckIn", "AllergyProjection", "PatientProjection", "ParkedEvent"]


class HospitalStay(Base):
    """A patient's stay in hospital, recorded by staff (or, later, from an
    ADT feed): its discharge opens the post-discharge check-in and the
    medication reconciliation."""
    __tablename__ = "hospital_stays"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    facility: Mapped[str | None] = mapped_column(String(200))
    admitted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    discharged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    discharge_disposition: Mapped[str | None] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
