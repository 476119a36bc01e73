"""The "to book" list: follow-up visits and therapy courses that care plans
ask for, kept until a coordinator books them, so that none is forgotten."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import among_patients, get_or_404, where_equal

from .appointment_types import catalogue
from ..domain.statuses import CANCELLED, ENTERED_IN_ERROR, OCCUPYING
from ..persistence.models import Appointment, BookingRequest

log = logging.getLogger(__name__)

OPEN, ON_HOLD, FULFILLED, WITHDRAWN = "open", "on-hold", "fulfilled", "withdrawn"
UNBOOKED = (OPEN, ON_HOLD)
STATUSES = (OPEN, ON_HOLD, FULFILLED, WITHDRAWN)
# What the care plan's activity status means for its request.
_ACTIVITY_ENDED = frozenset({"cancelled", "stopped", "completed"})
_PLAN_ENDED = frozenset({"completed", "revoked"})


def apply_plan_update(session: Session, data: dict) -> None:
    """Bring the requests of one care plan in line with a plan-updated event."""
    plan_id, version = data["plan_id"], data["version"]
    for activity in data["activities_to_schedule"]:
        _apply_activity(session, data, activity)
    if data["status"] in _PLAN_ENDED:
        now = clock.now()
        session.execute(update(BookingRequest)
                        .where(BookingRequest.care_plan_id == plan_id, BookingRequest.status.in_(UNBOOKED),
                               BookingRequest.plan_version < version)
                        .values(status=WITHDRAWN, plan_version=version, updated_at=now,
                                version=BookingRequest.version + 1)
                        .execution_options(synchronize_session=False))


def _apply_activity(session: Session, plan: dict, activity: dict) -> None:
    request = session.scalar(select(BookingRequest).where(
        BookingRequest.plan_activity_id == activity["activity_id"]).with_for_update())
    if request is not None and request.plan_version >= plan["version"]:
        return  # an older version of the plan, arriving late
    status = activity["status"]
    if status in _ACTIVITY_ENDED or plan["status"] in _PLAN_ENDED:
        target = WITHDRAWN
    elif status == "on-hold" or plan["status"] == "on-hold":
        target = ON_HOLD
    elif status == "scheduled":
        target = None  # booked already (here or elsewhere): nothing to add
    else:
        target = OPEN
    if request is None:
        if target not in (OPEN, ON_HOLD):
            return
        if not catalogue(session).knows(activity["appointment_type_code"]):
            # Still listed: a coordinator must see it, and can book a known type.
            log.warning("a care plan asks for an unknown appointment type",
                        extra={"plan_id": str(plan["plan_id"])})
        # The visit may have been booked before this event arrived (a late
        # event: a broker outage, a slow consumer): then it is not to book.
        booked = _booked_visit(session, activity["activity_id"])
        now = clock.now()
        request = BookingRequest(id=uuid.uuid4(), patient_id=plan["patient_id"], care_plan_id=plan["plan_id"],
                                 plan_activity_id=activity["activity_id"], status=target, created_at=now)
        session.add(request)
        if booked is not None:
            fulfil(request, appointment_id=None if booked.series_id else booked.id, series_id=booked.series_id)
    elif request.status in UNBOOKED and target is not None:
        request.status = target
    elif request.status == FULFILLED and status == "not-started" and not _visit_holds_time(session, request):
        # The plan asks again for a visit whose booking fell through (missed).
        _reopen(request)
    _copy_activity(request, plan["version"], activity)


def _copy_activity(request: BookingRequest, plan_version: int, activity: dict) -> None:
    request.plan_version = plan_version
    request.kind = activity["kind"]
    request.appointment_type_code = activity["appointment_type_code"]
    request.window_start, request.window_end = activity.get("window_start"), activity.get("window_end")
    request.sessions_per_week = activity.get("sessions_per_week")
    request.duration_weeks = activity.get("duration_weeks")
    request.practitioner_id = activity.get("practitioner_id")
    request.updated_at = clock.now()


def get(session: Session, request_id: uuid.UUID) -> BookingRequest:
    return get_or_404(session, BookingRequest, request_id, "booking request")


def search(filters: dict, visible_patients=None):
    """A SELECT of the requests in one status, most urgent (earliest window
    end) first, open-ended ones last."""
    query = (select(BookingRequest).where(BookingRequest.status == filters["status"])
             .order_by(BookingRequest.window_end.is_(None), BookingRequest.window_end,
                       BookingRequest.created_at, BookingRequest.id))
    query = where_equal(query, BookingRequest, filters, ("patient_id", "care_plan_id", "kind"))
    if filters.get("window_end_before"):
        query = query.where(BookingRequest.window_end < filters["window_end_before"])
    return among_patients(query, BookingRequest.patient_id, visible_patients)


def fulfil(request: BookingRequest | None, *, appointment_id: uuid.UUID | None = None,
           series_id: uuid.UUID | None = None) -> None:
    if request is None or request.status not in UNBOOKED:
        return
    request.status = FULFILLED
    request.appointment_id, request.series_id = appointment_id, series_id
    request.updated_at = clock.now()


def reopen_for(session: Session, appointment) -> None:
    """A visit booked for a plan activity will not take place (cancelled,
    voided): its request goes back on the list, so the follow-up is not lost.
    A course (series) stays fulfilled while any of its sessions goes ahead:
    one cancelled session is rebooked by hand, not the whole course; once
    every session is cancelled the course is to book again."""
    if appointment.plan_activity_id is None:
        return
    request = session.scalar(select(BookingRequest).where(
        BookingRequest.plan_activity_id == appointment.plan_activity_id).with_for_update())
    if request is None or request.status != FULFILLED:
        return
    if request.appointment_id == appointment.id or (
            request.series_id is not None and request.series_id == appointment.series_id
            and not _series_goes_ahead(session, request.series_id)):
        _reopen(request)


def _reopen(request: BookingRequest) -> None:
    request.status, request.appointment_id, request.series_id = OPEN, None, None
    request.updated_at = clock.now()


def _booked_visit(session: Session, plan_activity_id) -> Appointment | None:
    """A visit booked for the plan activity that still holds its time."""
    return session.scalar(select(Appointment).where(Appointment.plan_activity_id == plan_activity_id,
                                                    Appointment.status.in_(OCCUPYING))
                          .order_by(Appointment.start_at).limit(1))


_CALLED_OFF = (CANCELLED, ENTERED_IN_ERROR)


def _series_goes_ahead(session: Session, series_id: uuid.UUID) -> bool:
    """Whether any session of the course was not cancelled (or voided)."""
    return session.scalar(select(Appointment.id).where(Appointment.series_id == series_id,
                                                       Appointment.status.not_in(_CALLED_OFF)).limit(1)) is not None


def _visit_holds_time(session: Session, request: BookingRequest) -> bool:
    if request.appointment_id is None:
        return request.series_id is not None and _series_goes_ahead(session, request.series_id)
    status = session.scalar(select(Appointment.status).where(Appointment.id == request.appointment_id))
    return status in OCCUPYING


def withdraw_for_patient(session: Session, patient_id: uuid.UUID) -> None:
    session.execute(update(BookingRequest)
                    .where(BookingRequest.patient_id == patient_id, BookingRequest.status.in_(UNBOOKED))
                    .values(status=WITHDRAWN, updated_at=clock.now(), version=BookingRequest.version + 1)
                    .execution_options(synchronize_session=False))
