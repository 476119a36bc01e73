"""Outbox rows the broker returned as unroutable wait before the next attempt.

The relay publishes with `mandatory`; an event no queue is bound to yet is
returned, kept in the outbox and tried again at `next_attempt_at` (30 s,
doubling to 10 min).

Revision ID: kit_i23_outbox_returned
Revises: kit_i22_keyed_audit
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import UTCDateTime

revision = "kit_i23_outbox_returned"
down_revision = "kit_i22_keyed_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_events") as batch:
        batch.add_column(sa.Column("next_attempt_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_events") as batch:
        batch.drop_column("next_attempt_at")
