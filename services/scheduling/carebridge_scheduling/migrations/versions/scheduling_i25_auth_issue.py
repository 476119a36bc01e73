"""scheduling: a booked visit flagged when its prior authorization is at risk

Revision ID: scheduling_i25_auth_issue
Revises: scheduling_0002
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import UTCDateTime

revision = "scheduling_i25_auth_issue"
down_revision = "scheduling_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (no batch copy): SQLite keeps the no-double-booking triggers.
    op.add_column("appointments", sa.Column("authorization_issue", sa.String(20), nullable=True))
    op.add_column("appointments", sa.Column("authorization_issue_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("appointments", "authorization_issue_at")
    op.drop_column("appointments", "authorization_issue")
