"""careplans: whose each appointment is

known_appointments: the patient of each visit scheduling announced, so that
a check-in or a task names only an appointment of its own patient.

Revision ID: careplans_i23_appointments
Revises: careplans_i25_hospital_stays
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "careplans_i23_appointments"
down_revision = "careplans_i25_hospital_stays"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "known_appointments",
        sa.Column("appointment_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("appointment_id", name="pk_known_appointments"),
    )


def downgrade() -> None:
    op.drop_table("known_appointments")
