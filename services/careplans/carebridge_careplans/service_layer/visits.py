"""What the plan and the worklist do when scheduling reports on a visit:
booked, completed, missed or cancelled.

The visit's activity is the one scheduling names (`plan_activity_id`, set
when the visit was booked from the plan); a visit booked without it is
matched to the patient's open follow-up or therapy of the same appointment
type in an active plan, if there is one.
"""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.service import Runtime

from ..domain import visit_progress
from ..persistence.documents import plan_document
from ..persistence.models import PatientProjection, PlanActivity, Task
from ..persistence.queries import open_visit_activities, patient_is_known
from .actors import SYSTEM
from .plan_changes import record_change
from .tasks import close_task, open_task

log = logging.getLogger(__name__)


class UnknownPatient(Exception):
    """The event is about a patient this service has never heard of."""


class UnknownActivity(Exception):
    """The event names a plan activity this service does not have (or one of
    another patient)."""


def _named_activity(session: Session, data: dict) -> PlanActivity | None:
    activity_id = data.get("plan_activity_id")
    if activity_id is None:
        return None
    activity = session.get(PlanActivity, activity_id)
    if activity is None or activity.patient_id != data["patient_id"]:
        raise UnknownActivity(str(activity_id))
    return activity


def _matching_activity(session: Session, data: dict, prefer_status: str) -> PlanActivity | None:
    named = _named_activity(session, data)
    if named is not None or data.get("plan_activity_id") is not None:
        return named
    candidates = open_visit_activities(session, data["patient_id"], data["appointment_type_code"])
    candidates.sort(key=lambda a: a.status != prefer_status)
    return candidates[0] if candidates else None


def _progress(session: Session, activity: PlanActivity, progress, reason: str, event_id: uuid.UUID,
              booked: dict | None = None) -> None:
    """Move the activity on; a follow-up keeps the visit booked for it
    (`booked`: the appointment event's data; none once it fell through)."""
    if progress is None or activity.plan.status != "active":
        return
    plan = activity.plan
    with session.no_autoflush:
        before = plan_document(plan)
        activity.status, activity.status_reason = progress.status, progress.status_reason
        if progress.sessions_completed is not None:
            activity.detail = {**activity.detail, "sessions_completed": progress.sessions_completed}
        if activity.kind == "follow-up":
            activity.detail = {**activity.detail,
                               "booked_start": booked["start"].isoformat() if booked else None,
                               "booked_appointment_id": str(booked["appointment_id"]) if booked else None}
        record_change(session, plan, before, SYSTEM, reason, caused_by_event_id=event_id)


def patient_is_active(session: Session, patient_id: uuid.UUID) -> bool:
    known = session.get(PatientProjection, patient_id)
    return known is None or known.status == "active"


def _visit_words(data: dict) -> str:
    return f"{data['appointment_type_code']} visit"


def appointment_booked(session: Session, data: dict, event_id: uuid.UUID) -> None:
    activity = _matching_activity(session, data, "not-started")
    if activity is None:
        return  # a visit outside any plan: nothing of ours to update
    _progress(session, activity, visit_progress.after_booked(activity.kind, activity.status, activity.detail),
              "Visit booked", event_id, booked=data)


def appointment_rescheduled(session: Session, data: dict, event_id: uuid.UUID) -> None:
    """A booked follow-up's visit moved: the plan keeps its new time."""
    activity = _activity_or_none(session, data, "scheduled")
    if activity is None or activity.kind != "follow-up" or activity.status != "scheduled" or \
            activity.detail.get("booked_appointment_id") not in (None, str(data["appointment_id"])):
        return
    if activity.plan.status != "active":
        return
    plan = activity.plan
    with session.no_autoflush:
        before = plan_document(plan)
        activity.detail = {**activity.detail, "booked_start": data["start"].isoformat(),
                           "booked_appointment_id": str(data["appointment_id"])}
        record_change(session, plan, before, SYSTEM, "Visit moved", caused_by_event_id=event_id)


def appointment_cancelled(session: Session, data: dict, event_id: uuid.UUID) -> None:
    if data["reason_code"] in ("rescheduled", "patient-deactivated"):
        return  # a new booking follows, or the patient left: nothing to rebook
    activity = _matching_activity(session, data, "scheduled")
    if activity is None:
        return
    _progress(session, activity, visit_progress.after_cancelled(activity.kind, activity.status, activity.detail),
              "Visit cancelled; it needs booking again", event_id)


def _activity_or_none(session: Session, data: dict, prefer_status: str) -> PlanActivity | None:
    """The visit's activity; an unknown one is logged and left out, since
    the task about the visit matters more than the plan's bookkeeping."""
    try:
        return _matching_activity(session, data, prefer_status)
    except UnknownActivity:
        log.warning("a visit names a plan activity this service does not have",
                    extra={"appointment_id": str(data["appointment_id"]), "patient_id": str(data["patient_id"])})
        return None


def appointment_missed(session: Session, data: dict, event_id: uuid.UUID):
    """Open an urgent outreach task for the team's lead coordinator and send
    the follow-up back to be booked again."""
    if not patient_is_known(session, data["patient_id"]):
        raise UnknownPatient(str(data["patient_id"]))
    activity = _activity_or_none(session, data, "scheduled")
    if activity is not None:
        _progress(session, activity, visit_progress.after_missed(activity.kind, activity.status, activity.detail),
                  "Visit missed; it needs booking again", event_id)
    if not patient_is_active(session, data["patient_id"]):
        log.info("no outreach for a missed visit of a patient who is no longer active",
                 extra={"patient_id": str(data["patient_id"])})
        return None
    settings = Runtime.of(session).service_settings
    return open_task(
        session, patient_id=data["patient_id"], code="outreach", priority="urgent",
        reason=f"Missed {_visit_words(data)} on {data['start']:%Y-%m-%d}: reach the patient and rebook.",
        due_at=clock.now() + settings.outreach_due, actor=SYSTEM,
        focus_type="appointment", focus_id=data["appointment_id"],
        plan_id=activity.plan_id if activity else data.get("care_plan_id"),
        care_team_id=activity.plan.care_team_id if activity else None,
        open_key=f"outreach:appointment:{data['appointment_id']}")


def appointment_completed(session: Session, data: dict, event_id: uuid.UUID):
    """Complete the visit's activity (a therapy course counts its sessions)
    and open a check-in task, due within the hours of the visit's setting
    (CAREPLANS_VISIT_CHECK_IN_DUE_HOURS_BY_SETTING, else 48 hours)."""
    if not patient_is_known(session, data["patient_id"]):
        raise UnknownPatient(str(data["patient_id"]))
    activity = _activity_or_none(session, data, "scheduled")
    progress = None
    if activity is not None:
        progress = visit_progress.after_completed(activity.kind, activity.status, activity.detail)
        _progress(session, activity, progress, "Visit completed", event_id)
    if not visit_progress.completes_a_visit(activity.kind if activity else None, progress):
        return None
    if not patient_is_active(session, data["patient_id"]):
        return None
    settings = Runtime.of(session).service_settings
    return open_task(
        session, patient_id=data["patient_id"], code="check-in", priority="routine",
        reason=f"Check in with the patient after the {_visit_words(data)} on {data['completed_at']:%Y-%m-%d}.",
        due_at=data["completed_at"] + settings.visit_check_in_due_after(data.get("setting")), actor=SYSTEM,
        focus_type="appointment", focus_id=data["appointment_id"],
        plan_id=activity.plan_id if activity else data.get("care_plan_id"),
        care_team_id=activity.plan.care_team_id if activity else None,
        open_key=f"check-in:appointment:{data['appointment_id']}")


def noshow_corrected(session: Session, data: dict, event_id: uuid.UUID) -> None:
    """A no-show staff corrected (the patient came after all): the outreach
    task the no-show opened is closed, and a follow-up sent back to be booked
    is scheduled again (its completion follows as its own event)."""
    task = session.scalar(select(Task).where(Task.open_key == f"outreach:appointment:{data['appointment_id']}"))
    if task is not None:
        close_task(session, task, SYSTEM, "The patient came after all: the no-show was corrected.")
    activity = _activity_or_none(session, data, "not-started")
    if activity is not None and activity.status == "not-started" and \
            activity.status_reason == visit_progress.MISSED:
        _progress(session, activity, visit_progress.after_booked(activity.kind, activity.status, activity.detail),
                  "No-show corrected: the patient came", event_id, booked=data)
