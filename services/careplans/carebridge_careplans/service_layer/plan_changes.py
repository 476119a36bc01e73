"""Every change to a plan ends here: one new version (author, time, reason,
the whole document) and, in the same transaction, the events that tell the
other services what changed (no PHI: identifiers, codes, section names)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from carebridge import clock, outbox

from ..domain.plan_documents import (activities_to_schedule, detail_of, diff, is_patient_facing, monitoring_limits,
                                     section_changes)
from ..persistence.documents import plan_document
from ..persistence.models import CarePlan, CarePlanVersion
from .actors import Actor
from .plan_editing import refresh_check_in_schedule


@dataclass(frozen=True)
class RecordedChange:
    version: int
    change: dict
    document: dict


def _as_blank_draft(document: dict) -> dict:
    """What a new plan is compared with: a draft with nothing in it."""
    return {**{name: None for name in document}, "status": "draft", "goals": [], "activities": []}


def _to_schedule(activity: dict) -> dict:
    detail = detail_of(activity)
    therapy = activity["kind"] == "therapy"
    return {
        "activity_id": activity["id"], "kind": activity["kind"], "status": activity["status"],
        "appointment_type_code": detail["appointment_type_code"],
        "window_start": detail.get("start_date") if therapy else detail.get("window_start"),
        "window_end": None if therapy else detail.get("window_end"),
        "sessions_per_week": detail.get("sessions_per_week"), "duration_weeks": detail.get("duration_weeks"),
        "practitioner_id": detail.get("practitioner_id"),
    }


def record_change(session: Session, plan: CarePlan, before: dict | None, actor: Actor, reason: str, *,
                  caused_by_event_id: uuid.UUID | None = None) -> RecordedChange | None:
    """Version and announce the plan as it now stands against `before` (its
    document before the change; None for a new plan). Returns None, and
    changes nothing, when nothing differs."""
    after = plan_document(plan)
    baseline = before if before is not None else _as_blank_draft(after)
    change = diff(baseline, after)
    if before is not None and not change["changed_sections"]:
        return None
    refresh_check_in_schedule(plan)
    plan.updated_at = clock.now()
    # The plan row is updated even when only its goals or activities
    # changed (or the clock did not move): that UPDATE moves its version on.
    flag_modified(plan, "updated_at")
    session.flush()
    session.add(CarePlanVersion(
        plan_id=plan.id, version=plan.version, authored_at=plan.updated_at, author=actor.subject,
        author_roles=actor.roles, reason=reason, changed_sections=change["changed_sections"], document=after,
        caused_by_event_id=caused_by_event_id))
    outbox.record(session, "careplans.plan-updated", {
        "plan_id": plan.id, "patient_id": plan.patient_id, "care_team_id": plan.care_team_id,
        "version": plan.version, "status": plan.status, "changed_sections": change["changed_sections"],
        # Changes the system makes from events (a visit booked, missed or
        # done) are news the scheduling events already carry to the patient.
        "patient_facing": not actor.is_system and is_patient_facing(change, baseline, after),
        "author_id": actor.practitioner_id,
        "activities_to_schedule": [_to_schedule(a) for a in activities_to_schedule(baseline, after)],
        "by_system": actor.is_system,
        "section_changes": section_changes(change),
        # What the plan's monitoring activities set on the patient's remote
        # monitoring enrolment (numbers only); the monitoring service applies it.
        "monitoring_limits": monitoring_limits(after),
    })
    if change["status"] and before is not None:
        outbox.record(session, "careplans.plan-status-changed", {
            "plan_id": plan.id, "patient_id": plan.patient_id, "care_team_id": plan.care_team_id,
            "version": plan.version, "previous_status": change["status"]["from"], "status": plan.status})
    return RecordedChange(plan.version, change, after)
