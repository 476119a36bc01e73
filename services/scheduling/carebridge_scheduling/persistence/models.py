"""The scheduling service's tables (its own database; no other service reads them).

Appointments of one practitioner never overlap while they hold the
practitioner's time: the database refuses it (an exclusion constraint on
PostgreSQL, triggers on SQLite; see the initial migration), so no race between
API workers or replicas can double-book.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Time, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carebridge.db import JsonDocument, UTCDateTime, declarative_base

from ..domain.statuses import OCCUPYING

Base = declarative_base()

# Named here and in the migration that creates it, so a violation can be told
# apart from any other integrity error.
PRACTITIONER_OVERLAP_CONSTRAINT = "ex_appointments_practitioner_overlap"
# One patient, one place at a time: no two of a patient's visits that hold
# time overlap (without buffers). Exclusion constraint on PostgreSQL,
# triggers on SQLite (migration scheduling_i23_integrity).
PATIENT_OVERLAP_CONSTRAINT = "ex_appointments_patient_overlap"
_OCCUPYING_SQL = "(" + ", ".join(f"'{status}'" for status in OCCUPYING) + ")"


class Location(Base):
    __tablename__ = "locations"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    setting: Mapped[str] = mapped_column(String(30), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class AppointmentTypeRow(Base):
    """A visit type offered in one clinical setting (issue 25, item 14).
    Seeded by migration scheduling_i25_visit_types with the kit's shared
    vocabulary; administrators add and retire types through the API."""
    __tablename__ = "appointment_types"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    display: Mapped[str] = mapped_column(String(200), nullable=False)
    service_code: Mapped[str] = mapped_column(String(20), nullable=False)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    setting: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    billing_category: Mapped[str] = mapped_column(String(30), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class Schedule(Base):
    """A practitioner's weekly availability, in the practitioner's time zone."""
    __tablename__ = "schedules"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    practitioner_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, unique=True)
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False)
    buffer_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    slot_interval_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=15)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    rules: Mapped[list["AvailabilityRule"]] = relationship(
        back_populates="schedule", cascade="all, delete-orphan", lazy="selectin",
        order_by="(AvailabilityRule.weekday, AvailabilityRule.start_time)")
    __mapper_args__ = {"version_id_col": version}


class AvailabilityRule(Base):
    __tablename__ = "availability_rules"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    schedule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"), nullable=False,
                                                   index=True)
    weekday: Mapped[int] = mapped_column(Integer, nullable=False)
    start_time: Mapped[time] = mapped_column(Time, nullable=False)
    end_time: Mapped[time] = mapped_column(Time, nullable=False)
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"), nullable=False)
    appointment_type_codes: Mapped[list] = mapped_column(JsonDocument(), nullable=False, default=list)
    schedule: Mapped[Schedule] = relationship(back_populates="rules")
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("start_time < end_time", name="hours"),
    )


class ScheduleException(Base):
    """Time off (no bookings) or extra hours (bookable beyond the weekly rules)."""
    __tablename__ = "schedule_exceptions"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    schedule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"), nullable=True)
    appointment_type_codes: Mapped[list] = mapped_column(JsonDocument(), nullable=False, default=list)
    reason_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    __table_args__ = (
        CheckConstraint("kind IN ('time-off', 'extra-hours')", name="kind"),
        CheckConstraint("start_at < end_at", name="period"),
        Index("ix_schedule_exceptions_schedule_period", "schedule_id", "end_at"),
    )


class KnownPatient(Base):
    """What scheduling knows of a patient (from `patients.*` events, or the
    patients API for one registered a moment ago): enough to book."""
    __tablename__ = "known_patients"
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False)
    # The patients service's revision of the record; 0 when it came from the
    # API, so that any event about the patient supersedes it.
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Where the patient is cared for, and the location of the facility they
    # live in (a nursing home): their visits booked without a location go there.
    clinical_setting: Mapped[str | None] = mapped_column(String(30), nullable=True)
    facility_location_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)


class KnownCarePlan(Base):
    """Whose each care plan is (from `careplans.plan-updated`, or the
    careplans API for a plan whose event has not arrived yet): a booking or
    waitlist entry may name only a plan of its own patient."""
    __tablename__ = "known_care_plans"
    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Appointment(Base):
    __tablename__ = "appointments"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    practitioner_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"), nullable=False)
    appointment_type_code: Mapped[str] = mapped_column(String(60), nullable=False)
    # Copied from the appointment type at booking: what was booked stays
    # what is billed even if the catalogue changes later.
    service_code: Mapped[str] = mapped_column(String(20), nullable=False)
    setting: Mapped[str] = mapped_column(String(30), nullable=False)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # end_at plus the practitioner's buffer: the stretch no other visit of
    # the practitioner may overlap.
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    # When the current start was set (booking or reschedule); reminders whose
    # moment was before it are skipped.
    start_set_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    booked_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    series_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    care_plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    plan_activity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    waitlist_entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    telehealth_token: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    cancel_reason_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    cancelled_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    noshow_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Billing's word that the prior authorization this visit depends on was
    # denied, expired, or expires before it (denied, expired, expiring), and when.
    authorization_issue: Mapped[str | None] = mapped_column(String(20), nullable=True)
    authorization_issue_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("start_at < end_at AND end_at <= blocked_until", name="period"),
        # Conflict checks and one practitioner's slots: their visits by time.
        Index("ix_appointments_practitioner_start", "practitioner_id", "start_at"),
        # Slot search across practitioners reads every visit holding time in
        # a range; this index answers it without touching the table.
        Index("ix_appointments_occupying", "start_at", "practitioner_id", "blocked_until",
              postgresql_where=text(f"status IN {_OCCUPYING_SQL}"), sqlite_where=text(f"status IN {_OCCUPYING_SQL}")),
        # The sweeps: booked visits by start.
        Index("ix_appointments_status_start", "status", "start_at"),
    )


class AppointmentReminder(Base):
    """One reminder per appointment, offset and start: the key makes a
    second sweep (another worker, a retry) unable to send it again."""
    __tablename__ = "appointment_reminders"
    appointment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"),
                                                      primary_key=True)
    offset_minutes: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    # "sent", or "skipped" when its moment passed before the visit was booked.
    outcome: Mapped[str] = mapped_column(String(20), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class WaitlistEntry(Base):
    """A patient waiting for an earlier slot of a type with a practitioner."""
    __tablename__ = "waitlist_entries"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    practitioner_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    appointment_type_code: Mapped[str] = mapped_column(String(60), nullable=False)
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"), nullable=True)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    wanted_before: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # waiting, offered, booked, withdrawn, expired
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    offered_appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    booked_appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    care_plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    plan_activity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # The queue of one practitioner: first come, first offered.
        Index("ix_waitlist_entries_queue", "practitioner_id", "status", "created_at"),
    )


class BookingRequest(Base):
    """A follow-up visit or therapy course from a care plan that a
    coordinator has to book (the "to book" list)."""
    __tablename__ = "booking_requests"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    care_plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    plan_activity_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, unique=True)
    # The care plan version this request was last changed from; an older
    # plan-updated arriving late is ignored.
    plan_version: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    appointment_type_code: Mapped[str] = mapped_column(String(60), nullable=False)
    window_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    window_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    sessions_per_week: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_weeks: Mapped[int | None] = mapped_column(Integer, nullable=True)
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # open, on-hold, fulfilled, withdrawn
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    series_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_booking_requests_status_window", "status", "window_end"),
    )
