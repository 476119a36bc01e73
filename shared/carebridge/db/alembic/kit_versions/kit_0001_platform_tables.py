"""Platform tables: outbox, inbox, audit trail, idempotency keys, care-team access.

Revision ID: kit_0001
Revises:
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import BigIntegerKey, JsonDocument, UTCDateTime

revision = "kit_0001"
down_revision = None
branch_labels = ("kit",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_events",
        sa.Column("position", BigIntegerKey(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(120), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("publish_attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.PrimaryKeyConstraint("position", name="pk_outbox_events"),
        sa.UniqueConstraint("event_id", name="uq_outbox_events_event_id"),
    )
    op.create_index("ix_outbox_events_unpublished", "outbox_events", ["position"],
                    postgresql_where=sa.text("published_at IS NULL"),
                    sqlite_where=sa.text("published_at IS NULL"))

    op.create_table(
        "inbox_events",
        sa.Column("consumer", sa.String(80), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(120), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox_events"),
    )

    op.create_table(
        "audit_records",
        sa.Column("seq", BigIntegerKey(), primary_key=True, autoincrement=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("roles", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("resource_type", sa.String(60), nullable=False),
        sa.Column("resource_id", sa.String(80), nullable=True),
        sa.Column("patient_id", sa.String(80), nullable=True),
        sa.Column("correlation_id", sa.String(128), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_records"),
    )
    op.create_index("ix_audit_records_patient_id", "audit_records", ["patient_id"])
    # Append-only by the database itself, not only by convention: an UPDATE or
    # DELETE of an audit record fails whatever code or person attempts it.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION carebridge_audit_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit_records is append-only';
            END;
            $$ LANGUAGE plpgsql
        """)
        op.execute("""
            CREATE TRIGGER audit_records_append_only
            BEFORE UPDATE OR DELETE ON audit_records
            FOR EACH ROW EXECUTE FUNCTION carebridge_audit_append_only()
        """)
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER audit_records_no_{verb.lower()}
                BEFORE {verb} ON audit_records
                BEGIN SELECT RAISE(ABORT, 'audit_records is append-only'); END
            """)

    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.String(200), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("endpoint", sa.String(200), nullable=False),
        sa.Column("request_fingerprint", sa.String(64), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.Column("response_headers", JsonDocument(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("principal", "idempotency_key", name="pk_idempotency_keys"),
    )

    op.create_table(
        "access_care_teams",
        sa.Column("care_team_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("lead_coordinator_id", sa.Uuid(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("care_team_id", name="pk_access_care_teams"),
    )
    op.create_index("ix_access_care_teams_patient_id", "access_care_teams", ["patient_id"])
    op.create_table(
        "access_care_team_members",
        sa.Column("care_team_id", sa.Uuid(), nullable=False),
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("period_start", UTCDateTime(), nullable=False),
        sa.Column("period_end", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("care_team_id", "membership_id", name="pk_access_care_team_members"),
    )
    op.create_index("ix_access_members_lookup", "access_care_team_members", ["practitioner_id", "patient_id"])


def downgrade() -> None:
    op.drop_table("access_care_team_members")
    op.drop_table("access_care_teams")
    op.drop_table("idempotency_keys")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_records_append_only ON audit_records")
        op.execute("DROP FUNCTION carebridge_audit_append_only()")
    op.drop_table("audit_records")
    op.drop_table("inbox_events")
    op.drop_table("outbox_events")
