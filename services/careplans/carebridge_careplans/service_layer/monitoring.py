"""What the monitoring service's alerts and triage calls become on the
worklist: an urgent task for the team's nurse (else its coordinator) with the
readings that caused it, completed when the alert closes."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock

from ..domain.task_owners import responsible_coordinator, team_nurse
from ..persistence.documents import plan_document
from ..persistence.models import CarePlan, PatientProjection, Task
from ..persistence.queries import care_teams, patient_is_known
from .actors import SYSTEM
from .plan_changes import record_change
from .plan_editing import upsert_activities
from .tasks import close_task, open_task
from .visits import UnknownPatient

# How soon the task is due: at once for what escalates, within hours otherwise.
ALERT_DUE = {"critical": timedelta(hours=1), "urgent": timedelta(hours=4), "warning": timedelta(hours=24)}
ALERT_PRIORITY = {"critical": "stat", "urgent": "urgent", "warning": "urgent"}
TRIAGE_TASKS = {
    # disposition: (task code, priority, due after the call, what to do)
    "emergency": ("outreach", "stat", timedelta(hours=1),
                  "emergency services advised: confirm the patient reached care and update the plan"),
    "same-day": ("follow-up-booking", "urgent", timedelta(hours=4),
                 "the patient must be seen by a clinician today: arrange it"),
}


def _words(code: str) -> str:
    return code.replace("-", " ")


def _is_active(session: Session, patient_id: uuid.UUID) -> bool:
    known = session.get(PatientProjection, patient_id)
    return known is None or known.status == "active"


def _owner(session: Session, patient_id: uuid.UUID):
    return team_nurse(care_teams(session, patient_id))


def alert_opened(session: Session, data: dict) -> Task | None:
    if not patient_is_known(session, data["patient_id"]):
        raise UnknownPatient(str(data["patient_id"]))
    if not _is_active(session, data["patient_id"]):
        return None
    owner_id, care_team_id = _owner(session, data["patient_id"])
    readings = ", ".join(str(reading_id) for reading_id in data["reading_ids"]) or "none (no readings arrived)"
    return open_task(
        session, patient_id=data["patient_id"], code="outreach", priority=ALERT_PRIORITY[data["severity"]],
        reason=f"Monitoring alert ({data['severity']}): {_words(data['rule_code'])}. Review the readings, reach "
               f"the patient, and record the action on the alert.",
        note=f"Alert {data['alert_id']}; readings {readings}.",
        due_at=data["opened_at"] + ALERT_DUE[data["severity"]], actor=SYSTEM, owner_id=owner_id,
        care_team_id=care_team_id, open_key=f"monitoring-alert:{data['alert_id']}")


def alert_closed(session: Session, data: dict) -> None:
    task = session.scalar(select(Task).where(Task.open_key == f"monitoring-alert:{data['alert_id']}"))
    if task is None:
        return  # never opened (patient no longer active) or already done by hand
    action = _words(data["action_code"]) if data.get("action_code") else _words(data["reason"])
    close_task(session, task, SYSTEM, f"Alert closed in monitoring: {action}.")


def triage_recorded(session: Session, data: dict, event_id: uuid.UUID | None = None):
    if data["disposition"] not in (*TRIAGE_TASKS, "book-within-days"):
        return None  # home care advice needs nothing more
    if not patient_is_known(session, data["patient_id"]):
        raise UnknownPatient(str(data["patient_id"]))
    if not _is_active(session, data["patient_id"]):
        return None
    if data["disposition"] == "book-within-days":
        return _visit_within_days(session, data, event_id)
    code, priority, due, what = TRIAGE_TASKS[data["disposition"]]
    owner_id, care_team_id = _owner(session, data["patient_id"])
    return open_task(
        session, patient_id=data["patient_id"], code=code, priority=priority,
        reason=f"Triage call ({_words(data['protocol_code'])}): {what}.",
        note=f"Triage call {data['triage_call_id']}.", due_at=max(data["called_at"], clock.now()) + due,
        actor=SYSTEM, owner_id=owner_id, care_team_id=care_team_id, open_key=f"triage:{data['triage_call_id']}")


def _visit_within_days(session: Session, data: dict, event_id: uuid.UUID | None):
    """"Book within days": a follow-up visit on the patient's active care plan
    with a window of that many days, which its plan-updated puts on
    scheduling's to-book list. Without an active plan, a task for the
    coordinator to book it."""
    called_on = data["called_at"].date()
    window_end = called_on + timedelta(days=data["book_within_days"] or 1)
    plan = session.scalars(select(CarePlan).where(CarePlan.patient_id == data["patient_id"],
                                                  CarePlan.status == "active")
                           .order_by(CarePlan.updated_at.desc(), CarePlan.id).with_for_update()).first()
    if plan is None:
        owner_id, care_team_id = responsible_coordinator(care_teams(session, data["patient_id"]))
        return open_task(
            session, patient_id=data["patient_id"], code="follow-up-booking", priority="urgent",
            reason=f"Triage call ({_words(data['protocol_code'])}): book a visit by {window_end:%Y-%m-%d}; "
                   f"the patient has no active care plan to add it to.",
            note=f"Triage call {data['triage_call_id']}.", due_at=max(data["called_at"], clock.now()) + timedelta(
                days=1), actor=SYSTEM, owner_id=owner_id, care_team_id=care_team_id,
            open_key=f"triage:{data['triage_call_id']}")
    with session.no_autoflush:
        before = plan_document(plan)
        upsert_activities(plan, [{
            "kind": "follow-up", "description": f"Visit after a triage call ({_words(data['protocol_code'])})",
            "follow_up": {"appointment_type_code": "follow-up", "window_start": called_on.isoformat(),
                          "window_end": window_end.isoformat(), "purpose": "Triage call follow-up"}}])
        return record_change(session, plan, before, SYSTEM, "Triage call: a visit to book within days",
                             caused_by_event_id=event_id)
