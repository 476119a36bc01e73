"""The audit trail: who read or changed which patient's data, when, and with
what outcome.

`record(session, ...)` queues an entry on the session; the entries are written
right before that session commits, so they are part of the same transaction
as the read or write they describe (a rolled-back write leaves no "success"
record) and the chain lock below is held for as short a time as possible.
A refused access is recorded at once in its own transaction with
`record_denied`, because the request's own transaction will roll back.

Each record stores the hash of the previous record of its chain and its own
hash over both, so changing, removing or reordering any record breaks its
chain, which `verify_chain` (and `carebridge audit verify SERVICE`) detects.
The database also refuses UPDATE and DELETE on the table.

On PostgreSQL the trail is AUDIT_CHAINS interleaved chains rather than one:
appending takes a chain's lock until the transaction commits, and with a
single chain every audited request of the service (every patient read) would
queue behind the one before it, through its round trips and its commit's
flush to disk. A transaction takes the first chain nobody holds, so requests
append side by side and their commits are flushed together. SQLite (one
writer at a time anyway) uses chain 0 only.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from .. import clock, context
from ..db.driver import driver_connection
from ..db.kit_tables import audit_records

GENESIS_HASH = "0" * 64
# Serialises appends to a chain on PostgreSQL: chain c's advisory lock is
# CHAIN_LOCK_KEY + c (an arbitrary constant; chain 0's is the lock of the
# single chain of earlier releases).
CHAIN_LOCK_KEY = 4_207_318_002
AUDIT_CHAINS = 16
_PENDING = "carebridge.audit_pending"

ACTIONS = ("read", "search", "create", "update", "delete", "export")


@dataclass(frozen=True)
class AuditEntry:
    actor: str
    roles: str
    action: str
    resource_type: str
    resource_id: str | None
    patient_id: str | None
    correlation_id: str | None
    outcome: str


def _entry(action, resource_type, resource_id, patient_id, outcome, principal) -> AuditEntry:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    principal = principal or context.principal.get()
    return AuditEntry(
        actor=getattr(principal, "subject", None) or "system",
        roles=getattr(principal, "roles_text", None) or "system",
        action=action,
        resource_type=resource_type,
        resource_id=None if resource_id is None else str(resource_id),
        patient_id=None if patient_id is None else str(patient_id),
        correlation_id=context.correlation_id.get(),
        outcome=outcome,
    )


def record(session: Session, *, action: str, resource_type: str, resource_id=None, patient_id=None,
           outcome: str = "success", principal=None) -> None:
    session.info.setdefault(_PENDING, []).append(
        _entry(action, resource_type, resource_id, patient_id, outcome, principal))


def pending_subjects(session: Session) -> list[dict]:
    """What the audit records queued on this session are about (resource and
    patient), to be audited again when a stored response is replayed."""
    return [{"resource_type": e.resource_type, "resource_id": e.resource_id, "patient_id": e.patient_id}
            for e in session.info.get(_PENDING, []) if e.patient_id is not None]


def record_replay(session: Session, subjects: list[dict] | None, principal=None) -> None:
    for subject in subjects or []:
        record(session, action="read", principal=principal, **subject)


def record_denied(db, *, action: str, resource_type: str, resource_id=None, patient_id=None, principal=None) -> None:
    entry = _entry(action, resource_type, resource_id, patient_id, "denied", principal)
    with db.transaction() as session:
        _append(session, [entry])


def canonical_text(recorded_at: str, entry: dict) -> str:
    """What a record's hash covers besides the previous hash (ASCII JSON)."""
    return json.dumps({**entry, "recorded_at": recorded_at}, sort_keys=True, separators=(",", ":"))


def entry_hash(prev_hash: str, recorded_at: str, entry: dict) -> str:
    return hashlib.sha256((prev_hash + canonical_text(recorded_at, entry)).encode()).hexdigest()


# Run on every audited request: built once.
_LAST_HASH = (select(audit_records.c.hash).where(audit_records.c.chain == 0)
              .order_by(audit_records.c.seq.desc()).limit(1))
_INSERT = insert(audit_records)
# One round trip: the kit_0005 function takes a chain, reads its last hash
# and inserts the records hashed as entry_hash does, their columns read from
# the canonical texts it hashes, sent as one JSON array (kit_0004's eleven
# array parameters cost the API more to encode than the database to run).
_PG_APPEND = "SELECT carebridge_audit_append_canonical(%s, %s, %s, %s::json)"


def _chained(entries: list[AuditEntry], prev_hash: str, chain: int) -> list[dict]:
    rows = []
    for entry in entries:
        recorded_at = clock.now()
        fields = entry.__dict__.copy()
        digest = entry_hash(prev_hash, recorded_at.isoformat(), fields)
        rows.append({**fields, "recorded_at": recorded_at, "prev_hash": prev_hash, "hash": digest, "chain": chain})
        prev_hash = digest
    return rows


def _append(session: Session, entries: list[AuditEntry]) -> None:
    if session.connection().dialect.name == "postgresql":
        with driver_connection(session, _PG_APPEND) as connection:
            _append_postgresql(connection, entries)
        return
    prev_hash = session.scalar(_LAST_HASH) or GENESIS_HASH
    session.execute(_INSERT, _chained(entries, prev_hash, 0))


def _append_postgresql(driver_connection, entries: list[AuditEntry]) -> None:
    """Append through carebridge_audit_append_canonical (kit_0005), on the
    driver's connection inside the session's transaction: one round trip per
    audited request."""
    entries_json = "[" + ",".join(canonical_text(clock.now().isoformat(), entry.__dict__) for entry in entries) + "]"
    with driver_connection.cursor() as cursor:
        cursor.execute(_PG_APPEND, (random.randrange(AUDIT_CHAINS), AUDIT_CHAINS, CHAIN_LOCK_KEY, entries_json))


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        _append(session, pending)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Check every chain: each record points at the record before it in its
    chain and its content matches its hash."""
    last_hash: dict[int, str] = {}
    checked, last_seq = 0, 0
    while True:
        rows = session.execute(
            select(audit_records).where(audit_records.c.seq > last_seq)
            .order_by(audit_records.c.seq).limit(batch)).mappings().all()
        if not rows:
            return ChainReport(ok=True, checked=checked)
        for row in rows:
            prev_hash = last_hash.get(row["chain"], GENESIS_HASH)
            fields = {name: row[name] for name in AuditEntry.__dataclass_fields__}
            if row["prev_hash"] != prev_hash:
                return ChainReport(False, checked, row["seq"], "does not point at the record before it")
            if entry_hash(prev_hash, row["recorded_at"].isoformat(), fields) != row["hash"]:
                return ChainReport(False, checked, row["seq"], "content does not match its hash")
            last_hash[row["chain"]], last_seq = row["hash"], row["seq"]
            checked += 1
