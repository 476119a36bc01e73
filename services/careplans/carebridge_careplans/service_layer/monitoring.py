"""What the monitoring service's alerts and triage calls become on the
worklist: an urgent task for the team's nurse (else its coordinator) with the
readings that caused it, completed when the alert closes."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock

from ..domain.task_owners import responsible_nurse
from ..persistence.models import PatientProjection, Task
from ..persistence.queries import care_teams, patient_is_known
from .actors import SYSTEM
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
    return responsible_nurse(care_teams(session, patient_id))


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


def triage_recorded(session: Session, data: dict) -> Task | None:
    if data["disposition"] not in TRIAGE_TASKS:
        return None  # home care advice needs no task; book-within-days goes to scheduling's to-book list
    if not patient_is_known(session, data["patient_id"]):
        raise UnknownPatient(str(data["patient_id"]))
    if not _is_active(session, data["patient_id"]):
        return None
    code, priority, due, what = TRIAGE_TASKS[data["disposition"]]
    owner_id, care_team_id = _owner(session, data["patient_id"])
    return open_task(
        session, patient_id=data["patient_id"], code=code, priority=priority,
        reason=f"Triage call ({_words(data['protocol_code'])}): {what}.",
        note=f"Triage call {data['triage_call_id']}.", due_at=max(data["called_at"], clock.now()) + due,
        actor=SYSTEM, owner_id=owner_id, care_team_id=care_team_id, open_key=f"triage:{data['triage_call_id']}")
