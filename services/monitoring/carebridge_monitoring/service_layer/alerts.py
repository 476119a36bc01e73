"""Alerts: one per episode (enrolment and rule while open), opened by the
readings that fire a rule, closed when a clinician records what was done."""
from __future__ import annotations

import uuid

from sqlalchemy import and_, or_, select, text
from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.db import get_or_404
from carebridge.errors import ConflictError

from ..domain.rules import Finding
from ..persistence.inserts import insert_ignoring_conflicts
from ..persistence.models import Alert, AlertReading, Enrolment, Reading
from .actors import Actor
from .time_entries import record_time

ACTION_CODES = ("called-patient", "advice-given", "medication-adjusted", "visit-booked", "sent-to-emergency",
                "device-issue-fixed", "no-action-needed")


def open_or_join(session: Session, enrolment: Enrolment, finding: Finding) -> tuple[uuid.UUID, bool]:
    """(alert id, opened now). The partial unique index on open alerts per
    enrolment and rule settles concurrent batches: the second waits for the
    first to commit, inserts nothing and joins the alert the first opened."""
    now = clock.now()
    new_id = uuid.uuid4()
    inserted = session.execute(
        insert_ignoring_conflicts(session, Alert, index_elements=["enrolment_id", "rule_code"],
                                  index_where=text("status = 'open'"))
        .values(id=new_id, enrolment_id=enrolment.id, patient_id=enrolment.patient_id, rule_code=finding.rule_code,
                measure=finding.measure, severity=finding.severity, status="open", opened_at=now, version=1)
        .returning(Alert.id)).scalar()
    if inserted is None:
        alert_id = session.scalar(select(Alert.id).where(Alert.enrolment_id == enrolment.id,
                                                         Alert.rule_code == finding.rule_code,
                                                         Alert.status == "open"))
        if alert_id is None:  # closed between the two statements: a new episode
            return open_or_join(session, enrolment, finding)
    else:
        alert_id = inserted
    if finding.reading_ids:  # a missed-readings episode has none (an empty executemany is one row of NULLs)
        session.execute(insert_ignoring_conflicts(session, AlertReading.__table__,
                                                  index_elements=["alert_id", "reading_id"]),
                        [{"alert_id": alert_id, "reading_id": reading_id} for reading_id in finding.reading_ids])
    if inserted is not None:
        outbox.record(session, "monitoring.alert-opened", {
            "alert_id": alert_id, "enrolment_id": enrolment.id, "patient_id": enrolment.patient_id,
            "rule_code": finding.rule_code, "measure": finding.measure, "severity": finding.severity,
            "reading_ids": list(finding.reading_ids), "opened_at": now})
    return alert_id, inserted is not None


def open_or_join_all(session: Session, findings: list[tuple[Enrolment, Finding]]) -> list[uuid.UUID]:
    """`open_or_join` for all the findings of a batch in three statements
    rather than three per finding (a gateway's batch joins dozens of open
    episodes): one INSERT of every episode not open yet, settled by the same
    partial unique index (a concurrent batch's uncommitted alert is waited
    for, in one order: enrolment id, then rule), one SELECT of the episodes
    already open, one INSERT of the readings of all. An episode closed in
    between is left to `open_or_join`. Returns the alerts opened now."""
    if not findings:
        return []
    merged: dict = {}
    for enrolment, finding in findings:
        key = (enrolment.id, finding.rule_code)
        if key in merged:
            merged[key] = (enrolment, Finding(finding.rule_code, finding.measure, finding.severity,
                                              merged[key][1].reading_ids + tuple(finding.reading_ids)))
        else:
            merged[key] = (enrolment, finding)
    keys = sorted(merged, key=lambda key: (str(key[0]), key[1]))
    now = clock.now()
    rows = [{"id": uuid.uuid4(), "enrolment_id": enrolment.id, "patient_id": enrolment.patient_id,
             "rule_code": finding.rule_code, "measure": finding.measure, "severity": finding.severity,
             "status": "open", "opened_at": now, "version": 1}
            for enrolment, finding in (merged[key] for key in keys)]
    table = Alert.__table__
    inserted = {(row.enrolment_id, row.rule_code): row.id for row in session.execute(
        insert_ignoring_conflicts(session, table, index_elements=["enrolment_id", "rule_code"],
                                  index_where=text("status = 'open'"))
        .returning(table.c.id, table.c.enrolment_id, table.c.rule_code), rows)}
    alert_of = dict(inserted)
    joining = [key for key in keys if key not in inserted]
    if joining:
        alert_of.update({(row.enrolment_id, row.rule_code): row.id for row in session.execute(
            select(Alert.id, Alert.enrolment_id, Alert.rule_code).where(
                Alert.status == "open", or_(*(and_(Alert.enrolment_id == enrolment_id, Alert.rule_code == rule_code)
                                              for enrolment_id, rule_code in joining))))})
    reopened: dict = {}
    links = []
    for key in keys:
        enrolment, finding = merged[key]
        if key not in alert_of:   # closed between the two statements: a new episode
            alert_id, is_new = open_or_join(session, enrolment, finding)
            if is_new:
                reopened[key] = alert_id
            continue
        links += [{"alert_id": alert_of[key], "reading_id": reading_id} for reading_id in finding.reading_ids]
    if links:
        session.execute(insert_ignoring_conflicts(session, AlertReading.__table__,
                                                  index_elements=["alert_id", "reading_id"]), links)
    for key in keys:
        if key in inserted:
            enrolment, finding = merged[key]
            outbox.record(session, "monitoring.alert-opened", {
                "alert_id": inserted[key], "enrolment_id": enrolment.id, "patient_id": enrolment.patient_id,
                "rule_code": finding.rule_code, "measure": finding.measure, "severity": finding.severity,
                "reading_ids": list(finding.reading_ids), "opened_at": now})
    return [inserted.get(key) or reopened[key] for key in keys if key in inserted or key in reopened]


def load_alert(session: Session, alert_id: uuid.UUID) -> Alert:
    return get_or_404(session, Alert, alert_id, "alert")


def close_alert(session: Session, alert: Alert, *, reason: str, action_code: str | None, note: str | None,
                actor: Actor) -> Alert:
    if alert.status != "open":
        raise ConflictError("The alert is already closed.", current_status=alert.status)
    now = clock.now()
    alert.status, alert.closed_at, alert.closed_by = "closed", now, actor.subject
    alert.action_code, alert.action_note = action_code, note
    session.flush()
    outbox.record(session, "monitoring.alert-closed", {
        "alert_id": alert.id, "enrolment_id": alert.enrolment_id, "patient_id": alert.patient_id,
        "rule_code": alert.rule_code, "reason": reason, "action_code": action_code, "closed_by": actor.subject,
        "closed_at": now})
    return alert


def record_action(session: Session, alert: Alert, data: dict, actor: Actor) -> Alert:
    """A clinician records what was done: the alert closes, and the minutes
    spent (if given) count as monitoring time."""
    close_alert(session, alert, reason="action-recorded", action_code=data["action_code"], note=data.get("note"),
                actor=actor)
    if data.get("minutes"):
        record_time(session, session.get(Enrolment, alert.enrolment_id), {
            "activity": "alert-response", "minutes": data["minutes"], "performed_at": clock.now()},
            actor, alert_id=alert.id)
    return alert


def readings_of(session: Session, alert: Alert):
    return session.scalars(select(Reading).join(AlertReading, AlertReading.reading_id == Reading.id)
                           .where(AlertReading.alert_id == alert.id).order_by(Reading.taken_at)).all()
