"""scheduling: a patient's clinical setting and care facility (nursing-home visits default there)

Revision ID: scheduling_i25_facility
Revises: scheduling_i25_visit_types
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "scheduling_i25_facility"
down_revision = "scheduling_i25_visit_types"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (no batch copy), like scheduling_i25_auth_issue.
    op.add_column("known_patients", sa.Column("clinical_setting", sa.String(30), nullable=True))
    op.add_column("known_patients", sa.Column("facility_location_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("known_patients", "facility_location_id")
    op.drop_column("known_patients", "clinical_setting")
