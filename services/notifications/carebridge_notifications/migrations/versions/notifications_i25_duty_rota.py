"""notifications: the duty rota (on call, supervisor) that escalations reach; the patient's MRN for staff notices

Revision ID: notifications_i25_duty_rota
Revises: notifications_i19_message_page
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import UTCDateTime

revision = "notifications_i25_duty_rota"
down_revision = "notifications_i19_message_page"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty_shifts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=False),
        sa.Column("duty", sa.String(20), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_duty_shifts_period")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_shifts")),
    )
    op.create_index("ix_duty_shifts_duty_period", "duty_shifts", ["duty", "starts_at", "ends_at"])
    op.add_column("patient_recipients", sa.Column("mrn", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("patient_recipients", "mrn")
    op.drop_index("ix_duty_shifts_duty_period", table_name="duty_shifts")
    op.drop_table("duty_shifts")
