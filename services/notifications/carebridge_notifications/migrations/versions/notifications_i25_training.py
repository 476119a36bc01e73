"""notifications: who is in training (they receive no escalations)

Revision ID: notifications_i25_training
Revises: notifications_i25_duty_rota
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import UTCDateTime

revision = "notifications_i25_training"
down_revision = "notifications_i25_duty_rota"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_in_training",
        sa.Column("practitioner_id", sa.Uuid(), nullable=False),
        sa.Column("mentor_id", sa.Uuid(), nullable=False),
        sa.Column("in_training", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("practitioner_id", name=op.f("pk_staff_in_training")),
    )


def downgrade() -> None:
    op.drop_table("staff_in_training")
