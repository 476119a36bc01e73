"""Drop kit_0004's audit append function, superseded by kit_0005's.

Since kit_0005 the kit appends through carebridge_audit_append_canonical
(carebridge.audit.trail); kit_0005 kept carebridge_audit_append only so that
a release still running during that rolling deploy could append. Nothing
calls it any more. A release older than kit_0005 must not be running when
this is applied: it would fail on every audited request.

The downgrade recreates the function exactly as kit_0004 made it (its
definition is copied here, not imported: a migration stays what it was
when it was applied).

Revision ID: kit_0006
Revises: kit_0005
Create Date: 2026-12-06
"""
from alembic import op

revision = "kit_0006"
down_revision = "kit_0005"
branch_labels = None
depends_on = None

SIGNATURE = ("carebridge_audit_append(integer, integer, bigint, timestamptz[], text[], text[], text[], text[], "
             "text[], text[], text[], text[], text[])")

KIT_0004_FUNCTION = r"""
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
        op.execute(f"DROP FUNCTION {SIGNATURE}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(KIT_0004_FUNCTION)
