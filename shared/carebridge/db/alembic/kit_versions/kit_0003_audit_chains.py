"""The audit trail is kept as a few hash chains instead of one, so that
concurrent requests append to different chains instead of queueing for one
lock held until each commit is on disk. Every record says which chain it
belongs to; the records written so far form chain 0.

Revision ID: kit_0003
Revises: kit_0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "kit_0003"
down_revision = "kit_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The append-only trigger fires on UPDATE, not on adding a column with a
    # default, so existing records simply become chain 0.
    # Not batch mode: on SQLite that would rebuild the table without its
    # append-only triggers.
    op.add_column("audit_records",
                  sa.Column("chain", sa.SmallInteger(), server_default=sa.text("0"), nullable=False))
    op.create_index("ix_audit_records_chain_seq", "audit_records", ["chain", "seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_records_chain_seq", table_name="audit_records")
    op.execute("ALTER TABLE audit_records DROP COLUMN chain")
