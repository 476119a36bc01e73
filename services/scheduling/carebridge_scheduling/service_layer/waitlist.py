"""The waitlist: patients waiting for an earlier slot of a type with a
practitioner. When a matching slot frees, the first patient in line is
offered it: the slot is held for them (a `proposed` appointment, which takes
the practitioner's time like any booking) until they accept, decline, or the
hold expires and the slot passes to the next in line.

Here: what people do with their entries, and the sweep of expired holds
(both change appointment statuses through transitions.py). Offering a freed
slot and settling an entry when its hold is resolved are in
waitlist_offers.py, which status changes call."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import among_patients, get_or_404, where_equal
from carebridge.errors import ConflictError, RuleViolation

from ..domain.statuses import BOOKED, CANCELLED, PROPOSED
from ..persistence.models import Appointment, Location, WaitlistEntry
from . import patients, plan_links, transitions
from .placement import bookable_type
from .waitlist_offers import EXPIRED, OFFERED, OPEN, SYSTEM, WAITING, WITHDRAWN, set_status


def add(session: Session, data: dict, *, entry_id: uuid.UUID, by: str) -> WaitlistEntry:
    bookable_type(session, data["appointment_type_code"])
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
    care_plan_id, _request = plan_links.checked_plan_link(session, data["patient_id"], data.get("care_plan_id"),
                                                          data.get("plan_activity_id"))
    data = {**data, "care_plan_id": care_plan_id}
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
    set_status(entry, WITHDRAWN)
    if hold is not None and hold.status == PROPOSED:
        transitions.change_status(session, hold, CANCELLED, by=by, reason_code="waitlist-withdrawn")
    return entry


def withdraw_for_patient(session: Session, patient_id: uuid.UUID) -> None:
    """A deactivated patient waits for nothing any more (their holds are
    cancelled with their other future appointments)."""
    for entry in session.scalars(select(WaitlistEntry).where(
            WaitlistEntry.patient_id == patient_id, WaitlistEntry.status.in_(OPEN)).with_for_update()):
        set_status(entry, WITHDRAWN)


def _live_hold(session: Session, entry: WaitlistEntry) -> Appointment:
    hold = offered_hold(session, entry)
    if hold is None or hold.status != PROPOSED:
        raise ConflictError("There is no open offer on this waitlist entry.")
    if hold.hold_expires_at <= clock.now():
        raise ConflictError("The offer has expired.")
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
