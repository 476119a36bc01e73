"""scheduling: one patient, one place at a time, in the database; whose care plans are

known_care_plans: the patient of each care plan (from careplans.plan-updated
or the careplans API), so that a booking or waitlist entry names only a plan
of its own patient.

Two of a patient's visits that hold time may not overlap (without the
practitioner's buffers), whoever books them and however many API workers
race: an exclusion constraint on PostgreSQL (as for practitioners), triggers
applying the same rule inside SQLite's single writer. The application's own
check (placement.Placement.check) still answers first with a clear 409; this
is what makes the rule hold when two bookings race past it.

Existing overlapping visits of one patient (only possible through that race)
make the upgrade fail on PostgreSQL; cancel one of each pair first.

Revision ID: scheduling_i23_integrity
Revises: scheduling_i25_auth_issue
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import UTCDateTime

revision = "scheduling_i23_integrity"
down_revision = "scheduling_i25_auth_issue"
branch_labels = None
depends_on = None

# Copied, not imported (a migration stays what it was): keep in step with
# domain.statuses.OCCUPYING and persistence.models.PATIENT_OVERLAP_CONSTRAINT.
OCCUPYING = "('proposed', 'pending', 'booked', 'arrived', 'checked-in', 'fulfilled')"
OVERLAP = "ex_appointments_patient_overlap"


def upgrade() -> None:
    op.create_table(
        "known_care_plans",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", name="pk_known_care_plans"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(f"""
            ALTER TABLE appointments ADD CONSTRAINT {OVERLAP}
            EXCLUDE USING gist (patient_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&)
            WHERE (status IN {OCCUPYING})
        """)
        return
    clash = f"""
        SELECT RAISE(ABORT, '{OVERLAP}') WHERE EXISTS (
            SELECT 1 FROM appointments AS other
            WHERE other.patient_id = NEW.patient_id AND other.id != NEW.id
              AND other.status IN {OCCUPYING}
              AND other.start_at < NEW.end_at AND NEW.start_at < other.end_at)"""
    op.execute(f"""
        CREATE TRIGGER appointments_no_patient_overlap_on_insert BEFORE INSERT ON appointments
        WHEN NEW.status IN {OCCUPYING}
        BEGIN {clash}; END
    """)
    op.execute(f"""
        CREATE TRIGGER appointments_no_patient_overlap_on_update
        BEFORE UPDATE OF patient_id, start_at, end_at, status ON appointments
        WHEN NEW.status IN {OCCUPYING}
        BEGIN {clash}; END
    """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE appointments DROP CONSTRAINT {OVERLAP}")
    else:
        op.execute("DROP TRIGGER appointments_no_patient_overlap_on_update")
        op.execute("DROP TRIGGER appointments_no_patient_overlap_on_insert")
    op.drop_table("known_care_plans")
