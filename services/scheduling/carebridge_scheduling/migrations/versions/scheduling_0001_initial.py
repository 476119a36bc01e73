"""scheduling: locations, schedules, appointments, reminders, waitlist, booking requests

Revision ID: scheduling_0001
Revises:
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import JsonDocument, UTCDateTime

revision = "scheduling_0001"
down_revision = None
branch_labels = ("scheduling",)
depends_on = None

# Keep in step with carebridge_scheduling.domain.statuses.OCCUPYING and
# persistence.models.PRACTITIONER_OVERLAP_CONSTRAINT (copied, not imported:
# a migration must keep meaning what it meant when it was written).
OCCUPYING = "('proposed', 'pending', 'booked', 'arrived', 'checked-in', 'fulfilled')"
OVERLAP = "ex_appointments_practitioner_overlap"


def _timestamps():
    return [sa.Column("created_at", UTCDateTime(), nullable=False),
            sa.Column("updated_at", UTCDateTime(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("setting", sa.String(30), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_locations"),
        sa.UniqueConstraint("code", name="uq_locations_code"),
    )

    op.create_table(
        "schedules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("buffer_minutes", sa.Integer(), nullable=False),
        sa.Column("slot_interval_minutes", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_schedules"),
        sa.UniqueConstraint("practitioner_id", name="uq_schedules_practitioner_id"),
    )

    op.create_table(
        "availability_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("schedule_id", sa.Uuid(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("appointment_type_codes", JsonDocument(), nullable=False),
        sa.CheckConstraint("start_time < end_time", name="ck_availability_rules_hours"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="ck_availability_rules_weekday"),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name="fk_availability_rules_location_id_locations"),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedules.id"], ondelete="CASCADE",
                                name="fk_availability_rules_schedule_id_schedules"),
        sa.PrimaryKeyConstraint("id", name="pk_availability_rules"),
    )
    op.create_index("ix_availability_rules_schedule_id", "availability_rules", ["schedule_id"])

    op.create_table(
        "schedule_exceptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("schedule_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("start_at", UTCDateTime(), nullable=False),
        sa.Column("end_at", UTCDateTime(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("appointment_type_codes", JsonDocument(), nullable=False),
        sa.Column("reason_code", sa.String(40), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('time-off', 'extra-hours')", name="ck_schedule_exceptions_kind"),
        sa.CheckConstraint("start_at < end_at", name="ck_schedule_exceptions_period"),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name="fk_schedule_exceptions_location_id_locations"),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedules.id"], ondelete="CASCADE",
                                name="fk_schedule_exceptions_schedule_id_schedules"),
        sa.PrimaryKeyConstraint("id", name="pk_schedule_exceptions"),
    )
    op.create_index("ix_schedule_exceptions_schedule_period", "schedule_exceptions", ["schedule_id", "end_at"])

    op.create_table(
        "known_patients",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("patient_id", name="pk_known_patients"),
    )

    op.create_table(
        "appointments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("appointment_type_code", sa.String(60), nullable=False),
        sa.Column("service_code", sa.String(20), nullable=False),
        sa.Column("setting", sa.String(30), nullable=False),
        sa.Column("start_at", UTCDateTime(), nullable=False),
        sa.Column("end_at", UTCDateTime(), nullable=False),
        sa.Column("blocked_until", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("start_set_at", UTCDateTime(), nullable=False),
        sa.Column("booked_by", sa.String(200), nullable=True),
        sa.Column("series_id", sa.Uuid(), nullable=True),
        sa.Column("care_plan_id", sa.Uuid(), nullable=True),
        sa.Column("plan_activity_id", sa.Uuid(), nullable=True),
        sa.Column("waitlist_entry_id", sa.Uuid(), nullable=True),
        sa.Column("hold_expires_at", UTCDateTime(), nullable=True),
        sa.Column("telehealth_token", sa.String(64), nullable=True),
        sa.Column("cancel_reason_code", sa.String(40), nullable=True),
        sa.Column("cancelled_by", sa.String(200), nullable=True),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        sa.Column("arrived_at", UTCDateTime(), nullable=True),
        sa.Column("checked_in_at", UTCDateTime(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("noshow_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("start_at < end_at AND end_at <= blocked_until", name="ck_appointments_period"),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name="fk_appointments_location_id_locations"),
        sa.PrimaryKeyConstraint("id", name="pk_appointments"),
        sa.UniqueConstraint("telehealth_token", name="uq_appointments_telehealth_token"),
    )
    op.create_index("ix_appointments_patient_id", "appointments", ["patient_id"])
    op.create_index("ix_appointments_plan_activity_id", "appointments", ["plan_activity_id"])
    op.create_index("ix_appointments_practitioner_start", "appointments", ["practitioner_id", "start_at"])
    op.create_index("ix_appointments_series_id", "appointments", ["series_id"])
    op.create_index("ix_appointments_status_start", "appointments", ["status", "start_at"])
    op.create_index("ix_appointments_waitlist_entry_id", "appointments", ["waitlist_entry_id"])
    op.create_index("ix_appointments_occupying", "appointments", ["start_at", "practitioner_id", "blocked_until"],
                    postgresql_where=sa.text(f"status IN {OCCUPYING}"), sqlite_where=sa.text(f"status IN {OCCUPYING}"))
    _forbid_overlapping_appointments()

    op.create_table(
        "appointment_reminders",
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("offset_minutes", sa.Integer(), nullable=False),
        sa.Column("appointment_start", UTCDateTime(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"], ondelete="CASCADE",
                                name="fk_appointment_reminders_appointment_id_appointments"),
        sa.PrimaryKeyConstraint("appointment_id", "offset_minutes", "appointment_start",
                                name="pk_appointment_reminders"),
    )

    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=False),
        sa.Column("appointment_type_code", sa.String(60), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("not_before", UTCDateTime(), nullable=True),
        sa.Column("wanted_before", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("offered_appointment_id", sa.Uuid(), nullable=True),
        sa.Column("booked_appointment_id", sa.Uuid(), nullable=True),
        sa.Column("care_plan_id", sa.Uuid(), nullable=True),
        sa.Column("plan_activity_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name="fk_waitlist_entries_location_id_locations"),
        sa.PrimaryKeyConstraint("id", name="pk_waitlist_entries"),
    )
    op.create_index("ix_waitlist_entries_patient_id", "waitlist_entries", ["patient_id"])
    op.create_index("ix_waitlist_entries_queue", "waitlist_entries", ["practitioner_id", "status", "created_at"])

    op.create_table(
        "booking_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("care_plan_id", sa.Uuid(), nullable=False),
        sa.Column("plan_activity_id", sa.Uuid(), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("appointment_type_code", sa.String(60), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=True),
        sa.Column("window_end", sa.Date(), nullable=True),
        sa.Column("sessions_per_week", sa.Integer(), nullable=True),
        sa.Column("duration_weeks", sa.Integer(), nullable=True),
        sa.Column("practitioner_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("appointment_id", sa.Uuid(), nullable=True),
        sa.Column("series_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_booking_requests"),
        sa.UniqueConstraint("plan_activity_id", name="uq_booking_requests_plan_activity_id"),
    )
    op.create_index("ix_booking_requests_care_plan_id", "booking_requests", ["care_plan_id"])
    op.create_index("ix_booking_requests_patient_id", "booking_requests", ["patient_id"])
    op.create_index("ix_booking_requests_status_window", "booking_requests", ["status", "window_end"])


def _forbid_overlapping_appointments() -> None:
    """No two appointments of one practitioner that hold its time may
    overlap (each with its buffer): double booking is impossible whatever
    the application does, however many API workers race."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(f"""
            ALTER TABLE appointments ADD CONSTRAINT {OVERLAP}
            EXCLUDE USING gist (practitioner_id WITH =, tstzrange(start_at, blocked_until, '[)') WITH &&)
            WHERE (status IN {OCCUPYING})
        """)
        return
    # SQLite has no exclusion constraints; it has one writer at a time, and
    # these triggers apply the same rule inside that writer's transaction.
    clash = f"""
        SELECT RAISE(ABORT, '{OVERLAP}') WHERE EXISTS (
            SELECT 1 FROM appointments AS other
            WHERE other.practitioner_id = NEW.practitioner_id AND other.id != NEW.id
              AND other.status IN {OCCUPYING}
              AND other.start_at < NEW.blocked_until AND NEW.start_at < other.blocked_until)"""
    op.execute(f"""
        CREATE TRIGGER appointments_no_overlap_on_insert BEFORE INSERT ON appointments
        WHEN NEW.status IN {OCCUPYING}
        BEGIN {clash}; END
    """)
    op.execute(f"""
        CREATE TRIGGER appointments_no_overlap_on_update
        BEFORE UPDATE OF practitioner_id, start_at, blocked_until, status ON appointments
        WHEN NEW.status IN {OCCUPYING}
        BEGIN {clash}; END
    """)


def downgrade() -> None:
    op.drop_table("booking_requests")
    op.drop_table("waitlist_entries")
    op.drop_table("appointment_reminders")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER appointments_no_overlap_on_update")
        op.execute("DROP TRIGGER appointments_no_overlap_on_insert")
    op.drop_table("appointments")
    op.drop_table("known_patients")
    op.drop_table("schedule_exceptions")
    op.drop_table("availability_rules")
    op.drop_table("schedules")
    op.drop_table("locations")
