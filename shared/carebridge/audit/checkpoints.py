"""Checkpoints of the audit chains' heads, kept where the service's database
role cannot write, so that removing the newest audit records (or all of
them) is found: a chain that no longer reaches the head a checkpoint saw has
lost its tail.

Every AUDIT_CHECKPOINT_INTERVAL_SECONDS (60 by default; the kit's job
`audit-checkpoint`, run by each worker) a chain head that moved is
checkpointed: the sequence number and hash of the newest record of each
chain, signed with the service's Ed25519 checkpoint key (`keys.py`), is

1. appended, one JSON line, to `<AUDIT_CHECKPOINT_DIR>/<service>.jsonl`,
   opened in append mode (production mounts a write-once folder there: an
   object store's retention-locked path, never the database's disk), and
2. published as `<service>.audit-checkpointed`, which every other service
   that consumes events keeps (`keep_checkpoint`, in its `audit_checkpoints`
   table), so a copy survives anything done to the producer's database and
   folder. `GET /audit-checkpoints?service=...` answers them.

`carebridge audit verify SERVICE` checks the chain against every
checkpoint whose signature holds (from the folder, and from files saved from
the keepers' answers): each chain must still reach the furthest head any of
them saw, so a tail removed and then checkpointed short (the job only sees
the database) is still found; a forged line someone appended is reported
and not believed.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from .. import clock, context
from ..db.kit_tables import audit_checkpoints, audit_records
from .keys import signature_valid
from .trail import ChainReport, Findings, verify_chain

log = logging.getLogger(__name__)

EVENT_NAME = "audit-checkpointed"
# What every consuming service subscribes to (bound with the wildcard, so
# that a new service's checkpoints reach the others by themselves).
EVENT_TYPE = f"*.{EVENT_NAME}"
JOB_NAME = "audit-checkpoint"

_SIGNED_FIELDS = ("service", "checkpointed_at", "chains", "key_id", "public_key")


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def signed_payload(document: dict) -> bytes:
    """The bytes a checkpoint's signature covers."""
    return json.dumps({name: document.get(name) for name in _SIGNED_FIELDS}, sort_keys=True,
                      separators=(",", ":")).encode()


@dataclass(frozen=True)
class Checkpoint:
    """What the checkpoints whose signatures held saw: for each chain the
    furthest head (seq, hash, and when it was checkpointed)."""
    heads: dict
    latest: dict
    count: int

    @property
    def summary(self) -> dict:
        return {"checkpointed_at": self.latest["checkpointed_at"], "key_id": self.latest["key_id"],
                "public_key": self.latest["public_key"], "checkpoints": self.count, "chains": len(self.heads),
                "source": self.latest.get("source")}


def chain_heads(session: Session) -> list[dict]:
    """The newest record of each chain."""
    newest = (select(audit_records.c.chain, func.max(audit_records.c.seq).label("seq"))
              .group_by(audit_records.c.chain).subquery())
    rows = session.execute(
        select(audit_records.c.chain, audit_records.c.seq, audit_records.c.hash)
        .join(newest, (newest.c.chain == audit_records.c.chain) & (newest.c.seq == audit_records.c.seq))
        .order_by(audit_records.c.chain)).all()
    return [{"chain": row.chain, "seq": row.seq, "hash": row.hash} for row in rows]


def make_checkpoint(service: str, heads: list[dict], at: datetime, key) -> dict:
    document = {"service": service, "checkpointed_at": _iso(at), "chains": heads, "key_id": key.id,
                "public_key": key.public_key}
    document["signature"] = key.sign(signed_payload(document))
    return document


def checkpoint_file(settings, service: str) -> Path:
    return Path(settings.checkpoint_dir) / f"{service}.jsonl"


def append_line(path: Path, document: dict) -> None:
    """One line, appended (O_APPEND: never over what is there) and flushed
    to the disk before the checkpoint is announced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (json.dumps(document, sort_keys=True) + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# The heads each runtime checkpointed last, so that an idle trail is not
# checkpointed again every minute.
_last_heads: dict[int, list[dict]] = {}


def write_checkpoint(runtime) -> dict | None:
    """Checkpoint the chains' heads if any moved since this process's last
    checkpoint: to the file, and as an event in the outbox. Returns the
    checkpoint, or None when nothing moved."""
    from .. import outbox
    service = runtime.service.name
    with context.acting(), runtime.db.transaction() as session:
        heads = chain_heads(session)
        previous = _last_heads.get(id(runtime))
        if not heads or heads == previous:
            return None
        _warn_if_shorter(previous, heads)
        document = make_checkpoint(service, heads, clock.now(), runtime.audit_keys.current)
        append_line(checkpoint_file(runtime.settings, service), document)
        # The kit's one type that is not written out as a literal: every
        # service publishes it as its own.
        outbox.record(session, f"{service}.{EVENT_NAME}",
                      {name: document[name] for name in ("checkpointed_at", "chains", "key_id", "public_key",
                                                         "signature")})
    _last_heads[id(runtime)] = heads
    log.info("audit chains checkpointed", extra={"count": len(heads), "job": JOB_NAME})
    return document


def _warn_if_shorter(previous: list[dict] | None, heads: list[dict]) -> None:
    """A chain whose head is behind what this process checkpointed lost its
    newest records: say so now (verification will report it too)."""
    now = {head["chain"]: head["seq"] for head in heads}
    for head in previous or []:
        if now.get(head["chain"], 0) < head["seq"]:
            log.error("an audit chain is shorter than at its last checkpoint: records were deleted",
                      extra={"count": head["seq"], "job": JOB_NAME, "reason": f"chain {head['chain']}"})


def checkpoint_job(runtime):
    """The worker's job; in production only with a checkpoint folder of its
    own (the data folder would be the database's neighbour)."""
    from ..config import ConfigurationError
    from ..jobs import PeriodicJob
    if runtime.settings.is_production and runtime.settings.audit_checkpoint_dir is None:
        raise ConfigurationError("set AUDIT_CHECKPOINT_DIR in production: a write-once folder for the audit "
                                 "checkpoints")
    return PeriodicJob(JOB_NAME, every=runtime.settings.audit_checkpoint_interval, run=write_checkpoint)


def keep_checkpoint(session: Session, event) -> None:
    """Handler for every other service's `<service>.audit-checkpointed`:
    keep it as signed (a service's own checkpoints are kept by the others)."""
    # The type's producer (what the broker vouched for), not the envelope's say.
    producer = event.type.split(".", 1)[0]
    if producer == session.info.get("service"):
        return
    data = event.data
    document = {"service": producer, "checkpointed_at": _iso(data["checkpointed_at"]),
                "chains": [dict(head) for head in data["chains"]], "key_id": data["key_id"],
                "public_key": data["public_key"], "signature": data["signature"]}
    session.execute(insert(audit_checkpoints).values(
        event_id=event.id, service=producer, checkpointed_at=data["checkpointed_at"],
        document=json.dumps(document, sort_keys=True), received_at=clock.now()))


def kept_checkpoints(service: str):
    """A SELECT of the checkpoints kept for `service`, newest first."""
    return (select(audit_checkpoints.c.document)
            .where(audit_checkpoints.c.service == service)
            .order_by(audit_checkpoints.c.checkpointed_at.desc(), audit_checkpoints.c.event_id))


def read_checkpoints(paths, service: str | None = None) -> list[dict]:
    """Checkpoints from files: JSON lines (the checkpoint folder), or what
    `GET /audit-checkpoints` answered (a page of them) saved to a file.
    A line that is not a checkpoint is returned as {"unreadable": ...}."""
    found = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        try:
            whole = json.loads(text)
        except ValueError:
            whole = None
        if isinstance(whole, dict) and isinstance(whole.get("items"), list):
            documents = whole["items"]
        elif isinstance(whole, list):
            documents = whole
        else:
            documents = []
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    documents.append(json.loads(line))
                except ValueError:
                    documents.append({"unreadable": f"{path.name} line {number}"})
        for document in documents:
            if isinstance(document, dict) and (service is None or document.get("service") in (service, None)):
                found.append({**document, "source": str(path)})
    return found


def checkpointed(documents: list[dict], service: str, public_keys: set[str], findings: Findings) -> Checkpoint | None:
    """What `service`'s checkpoints signed by one of its keys saw; every other
    one is reported."""
    valid = []
    for document in documents:
        if (document.get("service") == service and document.get("public_key") in public_keys
                and isinstance(document.get("signature"), str)
                and signature_valid(document["public_key"], signed_payload(document), document["signature"])):
            valid.append(document)
        else:
            where = document.get("source") or "a checkpoint"
            findings.add("checkpoint-invalid", None, None,
                         f"{where}: {document.get('unreadable') or 'a checkpoint not signed by this service'} "
                         "(ignored)")
    if not valid:
        return None
    valid.sort(key=lambda document: datetime.fromisoformat(document["checkpointed_at"]))
    heads: dict[int, tuple[int, str, str]] = {}
    for document in valid:
        for head in document["chains"]:
            if head["chain"] not in heads or head["seq"] > heads[head["chain"]][0]:
                heads[head["chain"]] = (head["seq"], head["hash"], document["checkpointed_at"])
    return Checkpoint(heads=heads, latest=valid[-1], count=len(valid))


def verify_trail(db, keys, service: str, documents: list[dict], *, unkeyed_before=None) -> ChainReport:
    """The whole trail against the valid checkpoints among `documents`,
    read in one snapshot (so that records committed while it runs cannot
    look like gaps)."""
    findings = Findings()
    checkpoint = checkpointed(documents, service, keys.public_keys, findings)
    with db.sessions() as session, session.begin():
        if db.dialect == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        report = verify_chain(session, keys=keys, checkpoint=checkpoint, unkeyed_before=unkeyed_before)
    findings.items = findings.items + report.findings
    if checkpoint is None and report.checked:
        findings.add("no-checkpoint", None, None, "no signed checkpoint found: removed newest records could not "
                                                  "be told")
    return findings.report(report.checked, checkpoint=report.checkpoint, unconfirmed=report.unconfirmed,
                           unkeyed=report.unkeyed)


__all__ = ["EVENT_TYPE", "Checkpoint", "chain_heads", "checkpoint_file", "checkpoint_job", "keep_checkpoint",
           "kept_checkpoints", "checkpointed", "make_checkpoint", "read_checkpoints", "verify_trail",
           "write_checkpoint"]
