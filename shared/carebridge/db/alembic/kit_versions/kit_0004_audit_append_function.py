"""Appending to the audit trail on PostgreSQL is one call of a server-side
function instead of three round trips (take a chain, read its last hash,
insert): every audited request (every patient read) makes it, and on a busy
API each round trip costs more than the statement.

The function takes the first free chain from `start_chain` on (or waits for
that one when all are held), reads the chain's last hash in a statement of
its own, so that its snapshot is taken after the lock is granted (a VOLATILE
function's statements each take a fresh snapshot under READ COMMITTED) and
sees the record of the transaction that held the chain before, and inserts
the records, each hashed as sha256(previous hash || canonical text) exactly
as carebridge.audit.trail.entry_hash does in Python (the canonical text is
ASCII JSON built there).

Revision ID: kit_0004
Revises: kit_0003
Create Date: 2026-11-27
"""
from alembic import op

revision = "kit_0004"
down_revision = "kit_0003"
branch_labels = None
depends_on = None

CREATE = r"""
CREATE FUNCTION carebridge_audit_append(
    start_chain integer, chains integer, lock_key bigint,
    recorded_ats timestamptz[], actors text[], roles_list text[], actions text[], resource_types text[],
    resource_ids text[], patient_ids text[], correlation_ids text[], outcomes text[], canonicals text[])
RETURNS integer AS $$
DECLARE
    taken integer;
    previous text;
    digest text;
BEGIN
    FOR n IN 0 .. chains - 1 LOOP
        IF pg_try_advisory_xact_lock(lock_key + (start_chain + n) % chains) THEN
            taken := (start_chain + n) % chains;
            EXIT;
        END IF;
    END LOOP;
    IF taken IS NULL THEN
        taken := start_chain;
        PERFORM pg_advisory_xact_lock(lock_key + taken);
    END IF;
    SELECT a.hash INTO previous FROM audit_records a WHERE a.chain = taken ORDER BY a.seq DESC LIMIT 1;
    previous := coalesce(previous, repeat('0', 64));
    FOR i IN 1 .. coalesce(array_length(canonicals, 1), 0) LOOP
        digest := encode(sha256(convert_to(previous || canonicals[i], 'UTF8')), 'hex');
        INSERT INTO audit_records (recorded_at, actor, roles, action, resource_type, resource_id, patient_id,
                                   correlation_id, outcome, prev_hash, hash, chain)
        VALUES (recorded_ats[i], actors[i], roles_list[i], actions[i], resource_types[i], resource_ids[i],
                patient_ids[i], correlation_ids[i], outcomes[i], previous, digest, taken);
        previous := digest;
    END LOOP;
    RETURN taken;
END
$$ LANGUAGE plpgsql VOLATILE
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION carebridge_audit_append(integer, integer, bigint, timestamptz[], text[], text[], "
                   "text[], text[], text[], text[], text[], text[], text[])")
