"""The waitlist: patients waiting for an earlier slot of a type with a
practitioner. When a matching slot frees, the first patient in line is
offered it: the slot is held for them (a `proposed` appointment, which takes
the practitioner's time like any booking) until they accept, decline, or the
hold expires and the slot passes to the next in line."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import among_patients, get_or_404, where_equal
from carebridge.errors import ConflictError, RuleViolation
from carebridge.service import Runtime

from ..domain.appointment_types import UnknownAppointmentType, catalogue
from ..domain.slot_rules import SlotRefused
from ..domain.statuses import BOOKED, CANCELLED, PROPOSED
from ..persistence.models import Appointment, Location, WaitlistEntry
from . import patients, transitions
from .announcements import announce_offer
from .placement import Placement, bookable_type

log = logging.getLogger(__name__)

WAITING, OFFERED, ENTRY_BOOKED, WITHDRAWN, EXPIRED = "waiting", "offered", "booked", "withdrawn", "expired"
OPEN = (WAITING, OFFERED)
SYSTEM = "scheduling"
# How many people in line are looked at for one freed slot (their types and
# windows differ, so the first may not fit).
_CANDIDATES = 20


def add(session: Session, data: dict, *, entry_id: uuid.UUID, by: str) -> WaitlistEntry:
    bookable_type(data["appointment_type_code"])
    patients.ensure_bookable(session, data["patient_id"])
    now = clock.now()
    if data["wanted_before"] <= now:
        raise RuleViolation("The waitlist entry must want a slot before a future time.",
                            errors={"wanted_before": ["must be in the future"]})
    if data.get("not_before") and data["not_before"] >= data["wanted_before"]:
        raise RuleViolation("not_before must come before wanted_before.",
                            errors={"not_before": ["must be before wanted_before"]})
    if data.get("location_id") and session.get(Location, data["location_id"]) is None:
        raise RuleViolation("Unknown location.", errors={"location_id": ["unknown location"]})
    entry = WaitlistEntry(id=entry_id, status=WAITING, created_by=by, created_at=now, updated_at=now, **data)
    session.add(entry)
    session.flush()
    return entry


def get(session: Session, entry_id: uuid.UUID) -> WaitlistEntry:
    return get_or_404(session, WaitlistEntry, entry_id, "waitlist entry")


def search(filters: dict, visible_patients=None):
    """A SELECT of waitlist entries, first in line first."""
    query = select(WaitlistEntry).order_by(WaitlistEntry.created_at, WaitlistEntry.id)
    query = where_equal(query, WaitlistEntry, filters, ("patient_id", "practitioner_id", "status"))
    return among_patients(query, WaitlistEntry.patient_id, visible_patients)


def offered_hold(session: Session, entry: WaitlistEntry) -> Appointment | None:
    if entry.status != OFFERED or entry.offered_appointment_id is None:
        return None
    return session.get(Appointment, entry.offered_appointment_id)


def accept(session: Session, entry: WaitlistEntry, *, by: str) -> Appointment:
    hold = _live_hold(session, entry)
    return transitions.change_status(session, hold, BOOKED, by=by)


def decline(session: Session, entry: WaitlistEntry, *, by: str) -> WaitlistEntry:
    hold = _live_hold(session, entry)
    transitions.change_status(session, hold, CANCELLED, by=by, reason_code="offer-declined")
    return entry


def withdraw(session: Session, entry: WaitlistEntry, *, by: str) -> WaitlistEntry:
    if entry.status not in OPEN:
        raise ConflictError(f"The waitlist entry is {entry.status} and can no longer be withdrawn.")
    hold = offered_hold(session, entry)
    _set_status(entry, WITHDRAWN)
    if hold is not None and hold.status == PROPOSED:
        transitions.change_status(session, hold, CANCELLED, by=by, reason_code="waitlist-withdrawn")
    return entry


def withdraw_for_patient(session: Session, patient_id: uuid.UUID) -> None:
    """A deactivated patient waits for nothing any more (their holds are
    cancelled with their other future appointments)."""
    for entry in session.scalars(select(WaitlistEntry).where(
            WaitlistEntry.patient_id == patient_id, WaitlistEntry.status.in_(OPEN)).with_for_update()):
        _set_status(entry, WITHDRAWN)


def _live_hold(session: Session, entry: WaitlistEntry) -> Appointment:
    hold = offered_hold(session, entry)
    if hold is None or hold.status != PROPOSED:
        raise ConflictError("There is no open offer on this waitlist entry.")
    if hold.hold_expires_at <= clock.now():
        raise ConflictError("The offer has expired.")
    return hold


def _set_status(entry: WaitlistEntry, status: str) -> None:
    entry.status = status
    entry.updated_at = clock.now()


def hold_resolved(session: Session, hold: Appointment) -> None:
    """A held slot was accepted (booked) or let go (cancelled: declined,
    expired, withdrawn): bring its waitlist entry along."""
    entry = session.get(WaitlistEntry, hold.waitlist_entry_id)
    if entry is None or entry.offered_appointment_id != hold.id or entry.status != OFFERED:
        return
    if hold.status == BOOKED:
        entry.booked_appointment_id = hold.id
        _set_status(entry, ENTRY_BOOKED)
    else:
        entry.offered_appointment_id = None
        _set_status(entry, WAITING if entry.wanted_before > clock.now() else EXPIRED)


def offer_freed_slot(session: Session, practitioner_id: uuid.UUID, start: datetime) -> Appointment | None:
    """Offer a slot that just freed to the first patient in line it suits;
    returns the hold, if anyone was offered it."""
    now = clock.now()
    if start <= now:
        return None
    line = session.scalars(
        select(WaitlistEntry)
        .where(WaitlistEntry.practitioner_id == practitioner_id, WaitlistEntry.status == WAITING,
               WaitlistEntry.wanted_before > start,
               or_(WaitlistEntry.not_before.is_(None), WaitlistEntry.not_before <= start),
               # Not to someone who already let this very slot go.
               ~exists().where(Appointment.waitlist_entry_id == WaitlistEntry.id,
                               Appointment.start_at == start))
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id).limit(_CANDIDATES)
        # Two slots freeing at once must not both go to one patient.
        .with_for_update(skip_locked=True)).all()
    if not line:
        return None
    hold_for = Runtime.of(session).service_settings.waitlist_hold
    placement = Placement(session, practitioner_id, start, start + timedelta(days=1))
    for entry in line:
        hold = _try_hold(session, placement, entry, start, now + hold_for)
        if hold is not None:
            return hold
    return None


def _try_hold(session, placement: Placement, entry: WaitlistEntry, start: datetime,
              expires: datetime) -> Appointment | None:
    if not patients.is_active(session, entry.patient_id):
        return None
    try:
        appointment_type = catalogue().bookable(entry.appointment_type_code)
        hold = placement.place(appointment_type, start, patient_id=entry.patient_id, status=PROPOSED, by=SYSTEM,
                               location_id=entry.location_id, waitlist_entry_id=entry.id,
                               hold_expires_at=expires, care_plan_id=entry.care_plan_id,
                               plan_activity_id=entry.plan_activity_id)
    except (UnknownAppointmentType, SlotRefused):
        return None
    entry.offered_appointment_id = hold.id
    _set_status(entry, OFFERED)
    announce_offer(session, entry, hold)
    log.info("offered a freed slot to the waitlist", extra={"appointment_id": str(hold.id)})
    return hold


def expire_holds(session: Session, now: datetime, batch: int = 100) -> int:
    """Let go of holds nobody accepted in time (each passes to the next in
    line) and close entries whose wanted-before time has passed."""
    holds = session.scalars(
        select(Appointment).where(Appointment.status == PROPOSED, Appointment.hold_expires_at <= now)
        .order_by(Appointment.hold_expires_at).limit(batch)
        # Several workers sweep at once: each takes rows the others do not.
        .with_for_update(skip_locked=True)).all()
    for hold in holds:
        transitions.change_status(session, hold, CANCELLED, by=SYSTEM, reason_code="hold-expired")
    session.execute(update(WaitlistEntry)
                    .where(WaitlistEntry.status == WAITING, WaitlistEntry.wanted_before <= now)
                    .values(status=EXPIRED, updated_at=now, version=WaitlistEntry.version + 1)
                    .execution_options(synchronize_session=False))
    return len(holds)
