"""A keyed audit chain, and other services' audit checkpoints.

- `audit_records.key_id`: the key the record's hash was made with (an HMAC
  computed by the service, whose key the database never sees; see
  carebridge.audit.keys). NULL for the records before this revision, whose
  hash is plain SHA-256, and for those a pod of the previous release still
  writes during the rollout (its function, kit_0005's, stays until a later
  release drops it).
- `carebridge_audit_append_keyed`: takes a chain as kit_0005's function
  does, but hashes nothing. It is given the records already hashed, each as
  [hash, canonical text], for the chain head the caller expects, and inserts
  them only if the chain it locked is that one and its head is that head
  (each record's prev_hash is the one before it). Otherwise it inserts
  nothing and answers the chain it locked and that chain's head, so that the
  caller hashes again for that head and calls once more, the lock still
  held (an advisory lock is taken again by its own holder at once).
- `audit_checkpoints`: signed checkpoints of the other services' audit
  chains, from their `<service>.audit-checkpointed` events; append-only like
  the audit records.

Nothing here grants or revokes: which role may do what is `carebridge
migrate`'s job (carebridge.db.migrations), which knows the runtime role.

Revision ID: kit_i22_keyed_audit
Revises: kit_0006
Create Date: 2027-01-12
"""
import sqlalchemy as sa
from alembic import op

from carebridge.db.types import UTCDateTime

revision = "kit_i22_keyed_audit"
down_revision = "kit_0006"
branch_labels = None
depends_on = None

APPEND = r"""
CREATE FUNCTION carebridge_audit_append_keyed(
    preferred_chain integer, chains integer, lock_key bigint, expected_head text, key text, entries json,
    OUT taken integer, OUT head text, OUT inserted boolean) AS $$
DECLARE
    entry json;
    record json;
BEGIN
    FOR n IN 0 .. chains - 1 LOOP
        IF pg_try_advisory_xact_lock(lock_key + (preferred_chain + n) % chains) THEN
            taken := (preferred_chain + n) % chains;
            EXIT;
        END IF;
    END LOOP;
    IF taken IS NULL THEN
        taken := preferred_chain;
        PERFORM pg_advisory_xact_lock(lock_key + taken);
    END IF;
    -- A statement of its own, so that its snapshot is taken after the lock
    -- was granted (see kit_0004).
    SELECT a.hash INTO head FROM audit_records a WHERE a.chain = taken ORDER BY a.seq DESC LIMIT 1;
    head := coalesce(head, repeat('0', 64));
    inserted := taken = preferred_chain AND head = coalesce(expected_head, repeat('0', 64));
    IF NOT inserted THEN
        RETURN;
    END IF;
    FOR entry IN SELECT e.value FROM json_array_elements(entries) WITH ORDINALITY AS e(value, n) ORDER BY e.n LOOP
        -- Taken apart once: each operator on a json value parses its text again.
        record := entry->1;
        INSERT INTO audit_records (recorded_at, actor, roles, action, resource_type, resource_id, patient_id,
                                   correlation_id, outcome, prev_hash, hash, chain, key_id)
        VALUES ((record->>'recorded_at')::timestamptz, record->>'actor', record->>'roles', record->>'action',
                record->>'resource_type', record->>'resource_id', record->>'patient_id',
                record->>'correlation_id', record->>'outcome', head, entry->>0, taken, key);
        head := entry->>0;
    END LOOP;
END
$$ LANGUAGE plpgsql VOLATILE
"""


def upgrade() -> None:
    # Not batch mode: on SQLite that would rebuild the table without its
    # append-only triggers (see kit_0003).
    op.add_column("audit_records", sa.Column("key_id", sa.String(16), nullable=True))
    op.create_table(
        "audit_checkpoints",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("service", sa.String(80), nullable=False),
        sa.Column("checkpointed_at", UTCDateTime(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_audit_checkpoints"),
    )
    op.create_index("ix_audit_checkpoints_service_time", "audit_checkpoints", ["service", "checkpointed_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND)
        op.execute("""
            CREATE TRIGGER audit_checkpoints_append_only
            BEFORE UPDATE OR DELETE ON audit_checkpoints
            FOR EACH ROW EXECUTE FUNCTION carebridge_audit_append_only()
        """)
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER audit_checkpoints_no_{verb.lower()}
                BEFORE {verb} ON audit_checkpoints
                BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END
            """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION carebridge_audit_append_keyed(integer, integer, bigint, text, text, json)")
    op.drop_index("ix_audit_checkpoints_service_time", table_name="audit_checkpoints")
    op.drop_table("audit_checkpoints")
    op.execute("ALTER TABLE audit_records DROP COLUMN key_id")
