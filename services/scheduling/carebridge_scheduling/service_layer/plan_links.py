"""Which care plan (and plan activity) a booking or waitlist entry may name:
only one of its own patient.

Scheduling knows the patient of every plan whose `careplans.plan-updated`
it has applied (`known_care_plans`) and each follow-up or therapy activity
to book (`booking_requests`); a plan it has not heard of yet (created a
moment ago, or while the broker was away) it asks the careplans API about,
as it asks the patients API about a new patient. An activity it does not
know is checked against the plan the careplans API describes.
"""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.errors import DependencyUnavailable, RuleViolation
from carebridge.service import Runtime

from ..persistence.inserts import insert_if_absent
from ..persistence.models import BookingRequest, KnownCarePlan

log = logging.getLogger(__name__)


def remember_plan(session: Session, plan_id: uuid.UUID, patient_id: uuid.UUID) -> None:
    """From a plan's event: a plan never changes patient, so the first word
    is the last."""
    insert_if_absent(session, KnownCarePlan.__table__,
                     {"plan_id": plan_id, "patient_id": patient_id, "updated_at": clock.now()})


def _refused(field: str, detail: str, reason: str):
    return RuleViolation(detail, errors={field: [reason]})


def checked_plan_link(session: Session, patient_id: uuid.UUID, care_plan_id: uuid.UUID | None,
                      plan_activity_id: uuid.UUID | None) -> tuple[uuid.UUID | None, BookingRequest | None]:
    """The care plan the booking belongs to and the request it fulfils (if
    the plan's event has arrived); 422 when the plan or the activity is
    another patient's, is not known to careplans, or do not go together."""
    request = None
    if plan_activity_id is not None:
        request = session.scalar(select(BookingRequest).where(
            BookingRequest.plan_activity_id == plan_activity_id).with_for_update())
    if request is not None:
        if request.patient_id != patient_id or (care_plan_id is not None and care_plan_id != request.care_plan_id):
            raise _refused("plan_activity_id", "The care plan activity belongs to another patient or plan.",
                           "belongs to another patient or care plan")
        return request.care_plan_id, request
    if care_plan_id is None:
        if plan_activity_id is not None:
            raise _refused("care_plan_id", "Name the care plan of this activity: scheduling does not know it.",
                           "required with a plan activity scheduling does not know")
        return None, None
    known = session.get(KnownCarePlan, care_plan_id)
    if known is not None and plan_activity_id is None:
        if known.patient_id != patient_id:
            raise _refused("care_plan_id", "The care plan is another patient's.", "not a care plan of this patient")
        return care_plan_id, None
    plan = _ask_careplans(session, care_plan_id)
    if plan["patient_id"] != patient_id:
        raise _refused("care_plan_id", "The care plan is another patient's.", "not a care plan of this patient")
    if plan_activity_id is not None and plan_activity_id not in plan["activity_ids"]:
        raise _refused("plan_activity_id", "The activity is not part of that care plan.",
                       "not an activity of this care plan")
    remember_plan(session, care_plan_id, plan["patient_id"])
    return care_plan_id, None


def _ask_careplans(session: Session, plan_id: uuid.UUID) -> dict:
    response = Runtime.of(session).client("careplans").get(f"/care-plans/{plan_id}")
    if response.status_code == 404:
        raise _refused("care_plan_id", "No care plan with this id is known.", "unknown care plan")
    if response.status_code != 200:
        log.warning("the careplans service did not describe a care plan", extra={"status": response.status_code})
        raise DependencyUnavailable("The careplans service could not confirm the care plan; try again shortly.")
    try:
        body = response.json()
        return {"patient_id": uuid.UUID(body["patient_id"]),
                "activity_ids": {uuid.UUID(activity["id"]) for activity in body.get("activities") or ()}}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise DependencyUnavailable("The careplans service answered in an unexpected form.") from None
