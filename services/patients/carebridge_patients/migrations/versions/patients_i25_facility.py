"""patients: the care facility (a scheduling location) a nursing-home resident lives in

Revision ID: patients_i25_facility
Revises: patients_i25_training
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "patients_i25_facility"
down_revision = "patients_i25_training"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("patients", sa.Column("facility_location_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("facility_location_id")
