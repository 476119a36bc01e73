"""The waitlist's side of an appointment's change: a slot that frees is
offered to the first patient in line it suits (held for them as a
`proposed` appointment), and a held slot that is accepted or let go brings
its waitlist entry along. Status changes (transitions.py) call this; what
people do with their entries is in waitlist.py, which changes statuses in
turn."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.service import Runtime

from ..domain.appointment_types import UnknownAppointmentType
from .appointment_types import catalogue
from ..domain.slot_rules import SlotRefused
from ..domain.statuses import BOOKED, PROPOSED
from ..persistence.models import Appointment, WaitlistEntry
from . import patients
from .announcements import announce_offer
from .placement import Placement

log = logging.getLogger(__name__)

# A waitlist entry's statuses.
WAITING, OFFERED, ENTRY_BOOKED, WITHDRAWN, EXPIRED = "waiting", "offered", "booked", "withdrawn", "expired"
OPEN = (WAITING, OFFERED)
STATUSES = (WAITING, OFFERED, ENTRY_BOOKED, WITHDRAWN, EXPIRED)
# Who changes what the waitlist changes by itself.
SYSTEM = "scheduling"
# How many people in line are looked at for one freed slot (their types and
# windows differ, so the first may not fit).
_CANDIDATES = 20


def set_status(entry: WaitlistEntry, status: str) -> None:
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
        set_status(entry, ENTRY_BOOKED)
    else:
        entry.offered_appointment_id = None
        set_status(entry, WAITING if entry.wanted_before > clock.now() else EXPIRED)


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
        appointment_type = catalogue(session).bookable(entry.appointment_type_code)
        hold = placement.place(appointment_type, start, patient_id=entry.patient_id, status=PROPOSED, by=SYSTEM,
                               location_id=entry.location_id, waitlist_entry_id=entry.id,
                               hold_expires_at=expires, care_plan_id=entry.care_plan_id,
                               plan_activity_id=entry.plan_activity_id)
    except (UnknownAppointmentType, SlotRefused):
        return None
    entry.offered_appointment_id = hold.id
    set_status(entry, OFFERED)
    announce_offer(session, entry, hold)
    log.info("offered a freed slot to the waitlist", extra={"appointment_id": str(hold.id)})
    return hold
