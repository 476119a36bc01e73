"""The audit append function takes each record as its canonical text only.

kit_0004's function took every field as an array of its own besides the
canonical text (eleven array parameters), and turning those into the wire
format cost the API more CPU than the statement cost the database: on the
patient read benchmark the append took a tenth of the request's Python time,
two thirds of it in encoding those parameters. The canonical
text (a JSON object of every field and the time, built by
carebridge.audit.trail.canonical_text) already holds everything, so this
function takes one JSON array of the records' canonical texts and reads the
columns out of the very text it hashes: one parameter, which the driver
sends as it is, and a stored record whose columns cannot differ from what
its hash covers. (A `json` value keeps its exact text, and each element
json_array_elements returns is the exact text of that element.)

Locking and hashing are kit_0004's. That function stays, so that a release
still running during a rolling deploy can append; a later revision drops it.

Revision ID: kit_0005
Revises: kit_0004
Create Date: 2026-12-06
"""
from alembic import op

revision = "kit_0005"
down_revision = "kit_0004"
branch_labels = None
depends_on = None

CREATE = r"""
CREATE FUNCTION carebridge_audit_append_canonical(
    start_chain integer, chains integer, lock_key bigint, entries json)
RETURNS integer AS $$
DECLARE
    taken integer;
    previous text;
    digest text;
    entry json;
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
    FOR entry IN SELECT e.value FROM json_array_elements(entries) WITH ORDINALITY AS e(value, n) ORDER BY e.n LOOP
        digest := encode(sha256(convert_to(previous || entry::text, 'UTF8')), 'hex');
        INSERT INTO audit_records (recorded_at, actor, roles, action, resource_type, resource_id, patient_id,
                                   correlation_id, outcome, prev_hash, hash, chain)
        VALUES ((entry->>'recorded_at')::timestamptz, entry->>'actor', entry->>'roles', entry->>'action',
                entry->>'resource_type', entry->>'resource_id', entry->>'patient_id', entry->>'correlation_id',
                entry->>'outcome', previous, digest, taken);
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
        op.execute("DROP FUNCTION carebridge_audit_append_canonical(integer, integer, bigint, json)")
