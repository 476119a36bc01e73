"""Optimistic concurrency (ETag / If-Match) and retried POSTs (Idempotency-Key).

ETags are the resource's version number, which the service layer increments
on every change (SQLAlchemy's `version_id_col` also makes a concurrent update
that slipped past the If-Match check fail with 412 at commit):

    response.set_etag(etag_for(plan.version))  # or: return with_etag(...)
    require_if_match(plan.version)             # 428 without If-Match, 412 if stale

An `@idempotent` POST that carries an `Idempotency-Key` header answers a
retry with the stored response of the first attempt instead of doing the
work twice; the same key with a different body is refused. The key is
written in the request's own transaction, so it exists exactly when the work
it stands for was committed. Two concurrent requests with one key: the
database's primary key lets one win, the other waits for it and replays its
response.

A replay shows the patient data of the first response again, so it is an
access like any other: the stored row records each patient the response is
about and what let the caller in then (`patient_access`'s care-team check,
or a role of `also_allowed_roles`), and a replay is made only if that check
passes for the caller now (a nurse who left the team gets a 403, audited),
and audited as a read. Stored responses expire after IDEMPOTENCY_TTL_HOURS:
an expired one is never replayed (the request runs afresh), and the kit's
`expire-idempotency-keys` job of every worker deletes them.
"""
from __future__ import annotations

import functools
import hashlib
import re
import uuid
from datetime import datetime, timedelta

from flask import Response, g, make_response, request
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import access, audit, clock
from ..db.kit_tables import idempotency_keys
from ..errors import PreconditionFailed, PreconditionRequired, RuleViolation
from ..service import Runtime
from .current import current_runtime
from .guards import current_principal, deny, service_allowed
from .session import request_session

IDEMPOTENCY_HEADER = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{8,200}$")
_REPLAYED_HEADERS = ("Location", "ETag", "Content-Type")


def etag_for(version: int) -> str:
    return f'"{int(version)}"'


def with_etag(response, version: int):
    response = make_response(response)
    response.headers["ETag"] = etag_for(version)
    return response


def require_if_match(current_version: int) -> None:
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired("Send If-Match with the ETag you last read, so that no change is overwritten unseen.")
    candidates = {tag.strip() for tag in header.split(",")}
    if "*" in candidates:
        # "Any version" would overwrite changes the client never saw.
        raise PreconditionRequired("If-Match: * does not say which version you read; send its ETag.")
    # A weak ETag (W/"...") never matches: If-Match compares strongly.
    if etag_for(current_version) not in candidates:
        raise PreconditionFailed("The resource changed since you read it; read it again and retry.",
                                 current_etag=etag_for(current_version))


HEADER_DOCS = {
    "If-Match": {
        "in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
        "description": "The ETag of the version you are changing (428 without it, 412 if stale)."},
    IDEMPOTENCY_HEADER: {
        "in": "header", "name": IDEMPOTENCY_HEADER, "required": False,
        "schema": {"type": "string", "minLength": 8, "maxLength": 200, "pattern": "^[!-~]+$"},
        "description": "A unique key per logical request; a retry with the same key gets the first response."},
}


def document_header(view, header: str):
    """Marks the operation as taking `header`; the spec plugin turns the mark
    into a parameter (a plain manual parameter list would replace the
    operation's query parameters)."""
    doc = dict(getattr(view, "_apidoc", {}) or {})
    manual = dict(doc.get("manual_doc", {}))
    manual["x-carebridge-headers"] = {**manual.get("x-carebridge-headers", {}), header: True}
    doc["manual_doc"] = manual
    view._apidoc = doc
    return view


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _replay(row) -> Response:
    response = Response(row.response_body, status=row.response_status)
    for name, value in (row.response_headers or {}).items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _stored(session, principal: str, key: str):
    return session.execute(select(idempotency_keys).where(
        idempotency_keys.c.principal == principal, idempotency_keys.c.idempotency_key == key)).first()


def _expiry_cutoff(ttl_hours: float, now: datetime) -> datetime:
    return now - timedelta(hours=ttl_hours)


def idempotent(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not _VALID_KEY.match(key):
            raise RuleViolation("Idempotency-Key must be 8 to 200 printable characters.",
                                errors={"header.Idempotency-Key": ["8 to 200 printable ASCII characters"]})
        principal = g.principal.subject
        fingerprint = _fingerprint()
        session = request_session()
        row = _stored(session, principal, key)
        if row is not None and row.created_at < _expiry_cutoff(current_runtime().settings.idempotency_ttl_hours,
                                                               clock.now()):
            # Expired: this request is a new one, and takes the key over.
            session.execute(delete(idempotency_keys).where(
                idempotency_keys.c.principal == principal, idempotency_keys.c.idempotency_key == key))
            row = None
        if row is not None:
            return _check_and_replay(row, fingerprint)
        response = make_response(view(*args, **kwargs))
        if not 200 <= response.status_code < 300:
            return response  # nothing was committed, so a retry may run again
        try:
            with session.begin_nested():
                session.execute(insert(idempotency_keys).values(
                    principal=principal, idempotency_key=key, endpoint=f"{request.method} {request.path}"[:200],
                    request_fingerprint=fingerprint, response_status=response.status_code,
                    response_body=response.get_data(as_text=True),
                    response_headers={h: response.headers[h] for h in _REPLAYED_HEADERS if h in response.headers},
                    created_at=clock.now(), audit_subjects=_replay_subjects(session)))
        except IntegrityError:
            # A concurrent request with the same key committed first: undo
            # this one entirely and answer as the first one did.
            session.rollback()
            session.begin()
            return _check_and_replay(_stored(session, principal, key), fingerprint)
        return response

    return document_header(wrapper, IDEMPOTENCY_HEADER)


_SUBJECT_FIELDS = ("resource_type", "resource_id", "patient_id")


def _replay_subjects(session: Session) -> list[dict]:
    """Whose data the response holds (its audit records), each with the
    roles that let the caller past the care-team rule for that patient."""
    allowances = g.get("patient_allowances", {})
    return [{**subject, "also_allowed_roles": allowances.get(subject["patient_id"], [])}
            for subject in audit.pending_subjects(session)]


def _authorise_replay(session: Session, subjects: list[dict]) -> None:
    """Refuse (403, audited) a replay of a response about a patient the
    caller may no longer see."""
    principal = current_principal()
    checked = set()
    for subject in subjects:
        patient_id = subject["patient_id"]
        if patient_id in checked:
            continue
        checked.add(patient_id)
        if principal.has_any(*subject.get("also_allowed_roles", ())) or service_allowed():
            continue
        try:
            allowed = access.may_see_patient(session, principal, uuid.UUID(patient_id))
        except ValueError:
            allowed = False
        if not allowed:
            deny(action="read", resource_type=subject["resource_type"], resource_id=subject["resource_id"],
                 patient_id=patient_id)


def _check_and_replay(row, fingerprint: str) -> Response:
    if row.request_fingerprint != fingerprint:
        raise RuleViolation("This Idempotency-Key was already used for a different request.",
                            errors={"header.Idempotency-Key": ["already used for a different request"]})
    session = request_session()
    subjects = row.audit_subjects or []
    _authorise_replay(session, subjects)
    # The replay shows the caller patient data again: that is an access too.
    audit.record_replay(session, [{field: subject[field] for field in _SUBJECT_FIELDS} for subject in subjects])
    return _replay(row)


def purge_expired_responses(session: Session, now: datetime) -> int:
    """Delete the stored responses older than IDEMPOTENCY_TTL_HOURS (the
    kit's `expire-idempotency-keys` job)."""
    cutoff = _expiry_cutoff(Runtime.of(session).settings.idempotency_ttl_hours, now)
    return session.execute(delete(idempotency_keys).where(idempotency_keys.c.created_at < cutoff)).rowcount or 0


def documented_if_match(view):
    """Documents the If-Match header on a PUT/PATCH/DELETE view."""
    return document_header(view, "If-Match")


__all__ = ["etag_for", "with_etag", "require_if_match", "idempotent", "documented_if_match",
           "IDEMPOTENCY_HEADER", "purge_expired_responses"]
