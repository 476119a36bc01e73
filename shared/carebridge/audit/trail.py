"""The audit trail: who read or changed which patient's data, when, and with
what outcome.

`record(session, ...)` queues an entry on the session; the entries are written
right before that session commits, so they are part of the same transaction
as the read or write they describe (a rolled-back write leaves no "success"
record) and the chain lock below is held for as short a time as possible.
A refused access is recorded at once in its own transaction with
`record_denied`, because the request's own transaction will roll back.

Each record stores the hash of the previous record of its chain and its own
hash over both, an HMAC with the service's audit key (`keys.py`), which
never reaches the database: changing, removing or reordering any record
breaks its chain in a way that cannot be repaired without the key, and
`verify_trail` (and `carebridge audit verify SERVICE`) reports it. Removing
the newest records leaves a shorter chain that is still whole: the signed
checkpoints of each chain's head (`checkpoints.py`), kept where the service's
database role cannot write, show it. The database refuses UPDATE and DELETE
on the table, and the service's runtime role may only read and append.

On PostgreSQL the trail is AUDIT_CHAINS interleaved chains rather than one:
appending takes a chain's lock until the transaction commits, and with a
single chain every audited request of the service (every patient read) would
queue behind the one before it, through its round trips and its commit's
flush to disk. A transaction takes the first chain nobody holds, so requests
append side by side and their commits are flushed together. SQLite (one
writer at a time anyway) uses chain 0 only.

Keying the chain in Python means knowing the head of the chain before
hashing. A process remembers the head of each chain it appended to, and each
thread keeps to one chain, so the append is still one round trip: the
database function takes the chain and inserts only if its head is the one
expected; otherwise (another process appended to that chain, or it was
busy) it answers with the head of the chain it locked, and the records are
hashed again and sent once more, the lock still held.
"""
from __future__ import annotations

import hashlib
import json
import random
import threading
from dataclasses import dataclass, field, replace

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from .. import clock, context
from ..db.driver import driver_connection
from ..db.kit_tables import audit_records

GENESIS_HASH = "0" * 64
# An append hashed for a head that was not the chain's is sent again; a
# third miss means something other than a concurrent append is wrong.
_APPEND_ATTEMPTS = 3
# Serialises appends to a chain on PostgreSQL: chain c's advisory lock is
# CHAIN_LOCK_KEY + c (an arbitrary constant; chain 0's is the lock of the
# single chain of earlier releases).
CHAIN_LOCK_KEY = 4_207_318_002
AUDIT_CHAINS = 16
_PENDING = "carebridge.audit_pending"
_SEARCHES = "carebridge.audit_searches"

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


def record_search(session: Session, *, resource_type: str, resource_id=None, principal=None) -> None:
    """A list or search across patients. It is recorded when the session
    commits: one `search` record per patient its answer showed (given by
    `disclosed`, which `page_of` calls with the page it returns), so that
    "who saw this patient" finds it; one without a patient if it showed none."""
    session.info.setdefault(_SEARCHES, []).append(
        _entry("search", resource_type, resource_id, None, "success", principal))


def searching(session: Session) -> bool:
    return bool(session.info.get(_SEARCHES))


def disclosed(session: Session, patient_ids) -> None:
    """The patients the answer to the session's searches shows."""
    searches = session.info.pop(_SEARCHES, None)
    if not searches:
        return
    shown = list(dict.fromkeys(str(patient_id) for patient_id in patient_ids if patient_id is not None))
    pending = session.info.setdefault(_PENDING, [])
    for search in searches:
        pending.extend([replace(search, patient_id=patient_id) for patient_id in shown] or [search])


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


def unkeyed_hash(prev_hash: str, recorded_at: str, entry: dict) -> str:
    """The plain SHA-256 of records written before the chain was keyed (their
    `key_id` is NULL); kept to verify them."""
    return hashlib.sha256((prev_hash + canonical_text(recorded_at, entry)).encode()).hexdigest()


def _keys(session: Session):
    runtime = session.info.get("runtime")
    if runtime is None:
        raise RuntimeError("audit records are appended through a service runtime's sessions (it holds the key)")
    return runtime.audit_keys


# Run on every audited request: built once.
_LAST_HASH = (select(audit_records.c.hash).where(audit_records.c.chain == 0)
              .order_by(audit_records.c.seq.desc()).limit(1))
_INSERT = insert(audit_records)
# kit_i22's function: takes a chain, and inserts the records (each given as
# [hash, canonical text], their columns read from the text) only if the
# chain's head is the one they were hashed after; answers the chain it
# locked, its head and whether it inserted.
_PG_APPEND = "SELECT taken, head, inserted FROM carebridge_audit_append_keyed(%s, %s, %s, %s, %s, %s::json)"

# The last hash this process appended to each chain of each database, and
# the chain each thread keeps to (so that its remembered head is usually
# still the head).
_heads: dict[tuple[int, int], str] = {}
_thread = threading.local()


def _hashed(key, entries: list[str], prev_hash: str) -> tuple[str, str]:
    """The JSON array of [hash, canonical text] the function inserts, and the
    last hash."""
    parts = []
    for canonical in entries:
        prev_hash = key.mac(prev_hash, canonical)
        parts.append(f'["{prev_hash}",{canonical}]')
    return "[" + ",".join(parts) + "]", prev_hash


def _chained(entries: list[AuditEntry], prev_hash: str, chain: int, key) -> list[dict]:
    rows = []
    for entry in entries:
        recorded_at = clock.now()
        fields = entry.__dict__.copy()
        digest = key.mac(prev_hash, canonical_text(recorded_at.isoformat(), fields))
        rows.append({**fields, "recorded_at": recorded_at, "prev_hash": prev_hash, "hash": digest, "chain": chain,
                     "key_id": key.id})
        prev_hash = digest
    return rows


def _append(session: Session, entries: list[AuditEntry]) -> None:
    key = _keys(session).current
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        with driver_connection(session, _PG_APPEND, connection) as driver:
            _append_postgresql(driver, id(session.get_bind()), entries, key)
        return
    prev_hash = session.scalar(_LAST_HASH) or GENESIS_HASH
    session.execute(_INSERT, _chained(entries, prev_hash, 0, key))


def _append_postgresql(driver_connection, database: int, entries: list[AuditEntry], key) -> None:
    """Append through carebridge_audit_append_keyed (kit_i22), on the
    driver's connection inside the session's transaction: one round trip
    when this process knew the head of the chain it got."""
    now = clock.now().isoformat()
    canonicals = [canonical_text(now, entry.__dict__) for entry in entries]
    chain = getattr(_thread, "chain", None)
    if chain is None:
        chain = _thread.chain = random.randrange(AUDIT_CHAINS)
    expected = _heads.get((database, chain))
    with driver_connection.cursor() as cursor:
        for _attempt in range(_APPEND_ATTEMPTS):
            rows, last = _hashed(key, canonicals, expected or GENESIS_HASH)
            cursor.execute(_PG_APPEND, (chain, AUDIT_CHAINS, CHAIN_LOCK_KEY, expected, key.id, rows))
            taken, head, inserted = cursor.fetchone()
            if inserted:
                _heads[(database, taken)] = last
                return
            if taken == chain:
                # Another process appended to this thread's chain: move on,
                # so that the two stop taking turns on one chain.
                _thread.chain = random.randrange(AUDIT_CHAINS)
            else:
                _thread.chain = taken
            # The function holds `taken` now: hash for its head and send again.
            chain, expected = taken, head
    raise RuntimeError("the audit chain's head kept changing under its lock")


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None) or []
    # A search whose answer was not a page (no `disclosed`): the search alone.
    pending += session.info.pop(_SEARCHES, None) or []
    if pending:
        _append(session, pending)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_SEARCHES, None)


class Findings:
    """Problems found while verifying, in the order found."""

    LIMIT = 1000  # a table emptied in the middle would otherwise list every record

    def __init__(self):
        self.items: list[dict] = []
        self.dropped = 0

    def add(self, kind: str, chain: int | None, seq: int | None, detail: str) -> None:
        if len(self.items) >= self.LIMIT:
            self.dropped += 1
            return
        self.items.append({"kind": kind, "chain": chain, "seq": seq, "detail": detail})

    def report(self, checked: int, **extra) -> "ChainReport":
        first = self.items[0] if self.items else None
        findings = self.items + ([{"kind": "more", "chain": None, "seq": None,
                                   "detail": f"{self.dropped} more findings not listed"}] if self.dropped else [])
        return ChainReport(ok=not self.items, checked=checked, first_broken_seq=first and first["seq"],
                           reason=first and first["detail"], findings=findings, **extra)


@dataclass
class ChainReport:
    """What `verify_trail` found. `findings`: one dict per problem, with its
    `kind` (`altered`, `gap`, `deleted-tail`, `unkeyed`, `unknown-key`,
    `checkpoint-invalid`, `no-checkpoint`), chain, seq and a `detail`."""
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None
    findings: list = field(default_factory=list)
    # The checkpoints the trail was held against, and how many records are
    # newer than what they saw (their removal could not be told yet).
    checkpoint: dict | None = None
    unconfirmed: int = 0
    unkeyed: int = 0


def verify_chain(session: Session, batch: int = 5000, *, keys=None, checkpoint=None,
                 unkeyed_before=None) -> ChainReport:
    """Check every chain: each record follows the record before it in its
    chain and its content matches its keyed hash; and, given checkpoints
    (`checkpoints.Checkpoint`), that every chain still reaches the furthest
    head they saw. Use `verify_trail`, which reads everything in one snapshot."""
    keys = keys or _keys(session)
    findings = Findings()
    expected = {chain: head[:2] for chain, head in checkpoint.heads.items()} if checkpoint is not None else {}
    last: dict[int, tuple[int, str]] = {}
    keyed_chains: set[int] = set()
    checked = unconfirmed = unkeyed = 0
    last_seq = 0
    while True:
        rows = session.execute(
            select(audit_records).where(audit_records.c.seq > last_seq)
            .order_by(audit_records.c.seq).limit(batch)).mappings().all()
        if not rows:
            break
        for row in rows:
            chain, seq = row["chain"], row["seq"]
            before_seq, before_hash = last.get(chain, (None, GENESIS_HASH))
            if row["prev_hash"] != before_hash:
                findings.add("gap", chain, seq, (f"records were removed between seq {before_seq} and this one"
                                                 if before_seq is not None else
                                                 "the records before this one were removed"))
            fields = {name: row[name] for name in AuditEntry.__dataclass_fields__}
            canonical = canonical_text(row["recorded_at"].isoformat(), fields)
            if row["key_id"] is None:
                unkeyed += 1
                if chain in keyed_chains and not (unkeyed_before and row["recorded_at"] < unkeyed_before):
                    findings.add("unkeyed", chain, seq, "an unkeyed record after keyed ones: written by a release "
                                                        "before the keyed trail, or by someone without the key")
                elif unkeyed_hash(row["prev_hash"], row["recorded_at"].isoformat(), fields) != row["hash"]:
                    findings.add("altered", chain, seq, "its content does not match its hash")
            else:
                keyed_chains.add(chain)
                key = keys.get(row["key_id"])
                if key is None:
                    findings.add("unknown-key", chain, seq, f"hashed with key {row['key_id']}, which is not "
                                                            "configured (AUDIT_PREVIOUS_HMAC_KEYS)")
                elif key.mac(row["prev_hash"], canonical) != row["hash"]:
                    findings.add("altered", chain, seq, "its content does not match its keyed hash")
            head = expected.get(chain)
            if head is not None:
                if seq == head[0]:
                    if row["hash"] != head[1]:
                        findings.add("altered", chain, seq, "differs from the checkpointed head of its chain")
                    expected.pop(chain)
                elif seq > head[0]:
                    findings.add("gap", chain, seq, f"the checkpointed head of its chain, seq {head[0]}, "
                                                    "was removed")
                    expected.pop(chain)
            elif checkpoint is None or seq > checkpoint.heads.get(chain, (0, ""))[0]:
                unconfirmed += 1
            last[chain], last_seq = (seq, row["hash"]), seq
            checked += 1
    for chain, (seq, _hash) in sorted(expected.items()):
        ends = last.get(chain, (None,))[0]
        findings.add("deleted-tail", chain, seq,
                     f"records of chain {chain} were deleted: it ends at "
                     f"{'seq ' + str(ends) if ends is not None else 'nothing'}, but the checkpoint of "
                     f"{checkpoint.heads[chain][2]} saw it reach seq {seq}")
    return findings.report(checked, checkpoint=checkpoint.summary if checkpoint is not None else None,
                           unconfirmed=unconfirmed, unkeyed=unkeyed)
