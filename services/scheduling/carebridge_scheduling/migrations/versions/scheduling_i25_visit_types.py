"""scheduling: visit types as data per clinical setting, seeded with today's eight

Revision ID: scheduling_i25_visit_types
Revises: scheduling_i23_integrity
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

from carebridge import clock
from carebridge.db.types import UTCDateTime
from carebridge_scheduling.domain.appointment_types import seed_rows

revision = "scheduling_i25_visit_types"
down_revision = "scheduling_i23_integrity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "appointment_types",
        sa.Column("code", sa.String(60), primary_key=True),
        sa.Column("display", sa.String(200), nullable=False),
        sa.Column("service_code", sa.String(20), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("setting", sa.String(30), nullable=False),
        sa.Column("billing_category", sa.String(30), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_appointment_types_setting", "appointment_types", ["setting"])
    # The eight types the code held until now; later changes go through the API.
    now = clock.now()
    op.bulk_insert(table, [{**row, "active": True, "version": 1, "created_at": now, "updated_at": now}
                           for row in seed_rows()])


def downgrade() -> None:
    op.drop_index("ix_appointment_types_setting", table_name="appointment_types")
    op.drop_table("appointment_types")
