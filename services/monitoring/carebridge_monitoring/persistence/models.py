"""The monitoring service's tables (its own database; no other service reads them).

One alert per episode: at most one open alert per enrolment and rule, refused
by the database itself (a partial unique index, `uq_alerts_open_episode`), so
two workers ingesting batches of the same patient at once cannot open two.
A reading is stored once per device, measure and time taken
(`uq_readings_device_measure_taken`): a gateway retrying a batch adds nothing.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (Date, ForeignKey, Index, Integer, Numeric, String, Text, TypeDecorator, UniqueConstraint, Uuid,
                        func, select, text)
from sqlalchemy.orm import Mapped, column_property, mapped_column

from carebridge.db import JsonDocument, UTCDateTime, declarative_base

Base = declarative_base()

OPEN_EPISODE_INDEX = "uq_alerts_open_episode"
ACTIVE_DEVICE_INDEX = "uq_enrolments_active_device"


class _DecimalText(TypeDecorator):
    """SQLite has no decimal type and would round values through a float."""
    impl = String(24)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


def Quantity():
    """A measured value in its canonical unit: NUMERIC(10, 2) on PostgreSQL, text on SQLite."""
    return Numeric(10, 2, asdecimal=True).with_variant(_DecimalText(), "sqlite")


class MonitoredPatient(Base):
    """What this service knows of a patient from the patients service's
    events: the time zone its calendar days are counted in, and the status."""
    __tablename__ = "monitored_patients"
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)


class Enrolment(Base):
    __tablename__ = "enrolments"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    condition: Mapped[str] = mapped_column(String(30), nullable=False)
    measures: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    device_kind: Mapped[str] = mapped_column(String(40), nullable=False)
    device_serial: Mapped[str] = mapped_column(String(80), nullable=False)
    consent_date: Mapped[date] = mapped_column(Date, nullable=False)
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False)
    # active, ended
    status: Mapped[str] = mapped_column(String(10), nullable=False)
    limits: Mapped[dict] = mapped_column(JsonDocument(), nullable=False)
    rules: Mapped[list] = mapped_column(JsonDocument(), nullable=False)
    # The care plan version whose monitoring limits were last applied
    # (`careplans.plan-updated`): an older or repeated one changes nothing.
    limits_plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    limits_plan_version: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    enrolled_by: Mapped[str] = mapped_column(String(200), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # One active enrolment per device: a gateway's reading finds its patient.
        Index(ACTIVE_DEVICE_INDEX, "device_serial", unique=True,
              postgresql_where=text("status = 'active'"), sqlite_where=text("status = 'active'")),
    )


class Reading(Base):
    __tablename__ = "readings"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    enrolment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrolments.id"), nullable=False)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    measure: Mapped[str] = mapped_column(String(20), nullable=False)
    value: Mapped[Decimal] = mapped_column(Quantity(), nullable=False)
    value2: Mapped[Decimal | None] = mapped_column(Quantity())
    # The canonical UCUM unit the values are in, and the unit they came in.
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    sent_unit: Mapped[str] = mapped_column(String(20), nullable=False)
    device_serial: Mapped[str] = mapped_column(String(80), nullable=False)
    # device (a gateway), staff, patient-app
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (
        UniqueConstraint("enrolment_id", "device_serial", "measure", "taken_at", name="uq_readings_device_measure_taken"),
        Index("ix_readings_enrolment_taken", "enrolment_id", "taken_at"),
    )


# When the enrolment's newest reading was taken: read from the readings (their
# index), never written by the batches, so that concurrent batches of one
# enrolment do not queue on its row.
Enrolment.last_reading_at = column_property(
    select(func.max(Reading.taken_at)).where(Reading.enrolment_id == Enrolment.id).correlate_except(Reading)
    .scalar_subquery(), deferred=True)


class ReadingDay(Base):
    """A calendar day (patient's time zone) with at least one reading: what
    billing counts (16 days in a month for 99454)."""
    __tablename__ = "reading_days"
    enrolment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrolments.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class Alert(Base):
    __tablename__ = "alerts"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    enrolment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrolments.id"), nullable=False)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    rule_code: Mapped[str] = mapped_column(String(60), nullable=False)
    measure: Mapped[str | None] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10), nullable=False)
    # open, closed
    status: Mapped[str] = mapped_column(String(10), nullable=False)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    action_code: Mapped[str | None] = mapped_column(String(40))
    action_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index(OPEN_EPISODE_INDEX, "enrolment_id", "rule_code", unique=True,
              postgresql_where=text("status = 'open'"), sqlite_where=text("status = 'open'")),
        Index("ix_alerts_status_opened", "status", "opened_at"),
    )


# When the alert last changed (closed, or else opened): FHIR's lastUpdated.
Alert.updated_at = column_property(func.coalesce(Alert.closed_at, Alert.opened_at))


class AlertReading(Base):
    """The readings of an alert's episode: those that opened it and those
    that fired the same rule while it was open."""
    __tablename__ = "alert_readings"
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), primary_key=True)
    reading_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("readings.id"), primary_key=True)


class TimeEntry(Base):
    """Minutes of monitoring work by staff (reviewing readings, calling the
    patient): what billing counts for 99457 and 99458."""
    __tablename__ = "time_entries"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    enrolment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrolments.id"), nullable=False)
    alert_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("alerts.id"))
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    activity: Mapped[str] = mapped_column(String(30), nullable=False)
    minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class TriageCall(Base):
    __tablename__ = "triage_calls"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    caller_type: Mapped[str] = mapped_column(String(20), nullable=False)
    caller_name: Mapped[str | None] = mapped_column(String(200))
    protocol_code: Mapped[str] = mapped_column(String(40), nullable=False)
    answers: Mapped[dict] = mapped_column(JsonDocument(), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    disposition: Mapped[str] = mapped_column(String(20), nullable=False)
    book_within_days: Mapped[int | None] = mapped_column(Integer)
    advice: Mapped[str] = mapped_column(Text, nullable=False)
    called_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)
    nurse_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
