"""Reading the audit trail: who saw or changed one patient's records."""
from __future__ import annotations

from sqlalchemy import select

from ..db.kit_tables import audit_records

EVENT_COLUMNS = (audit_records.c.seq, audit_records.c.recorded_at, audit_records.c.actor, audit_records.c.roles,
                 audit_records.c.action, audit_records.c.resource_type, audit_records.c.resource_id,
                 audit_records.c.patient_id, audit_records.c.correlation_id, audit_records.c.outcome)


def events_about(patient_id, *, action: str | None = None, outcome: str | None = None,
                 since=None, until=None):
    """A SELECT of the audit records about one patient, newest first:
    reads, changes and refusals of their records, and the searches whose
    answers showed them."""
    statement = select(*EVENT_COLUMNS).where(audit_records.c.patient_id == str(patient_id))
    if action:
        statement = statement.where(audit_records.c.action == action)
    if outcome:
        statement = statement.where(audit_records.c.outcome == outcome)
    if since:
        statement = statement.where(audit_records.c.recorded_at >= since)
    if until:
        statement = statement.where(audit_records.c.recorded_at < until)
    return statement.order_by(audit_records.c.seq.desc())
