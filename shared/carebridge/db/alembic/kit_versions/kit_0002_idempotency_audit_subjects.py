"""Idempotency keys remember whose data their response holds, so a replayed
response is audited like the first one.

Revision ID: kit_0002
Revises: kit_0001
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import JsonDocument

revision = "kit_0002"
down_revision = "kit_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: rows written by the previous release have none, and the
    # previous release keeps running during a rolling deploy.
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(sa.Column("audit_subjects", JsonDocument(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("audit_subjects")
