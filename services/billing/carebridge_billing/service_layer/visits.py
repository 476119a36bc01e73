"""What billing does as visits are booked, cancelled, missed and completed."""
from __future__ import annotations

import logging
import uuid
from datetime import date

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.vocabulary.appointment_types import APPOINTMENT_TYPES

from ..persistence.charges import Charge, charge_for_appointment
from ..persistence.coverages import primary_coverage_on
from ..reference import fee_schedule
from ..settings import BillingSettings
from .appointments import last_state, note_appointment_state
from .claims import open_draft_claim
from .common import SYSTEM
from .prior_auths import release_for_visit, reserve_for_booking, use_for_visit

log = logging.getLogger(__name__)
# After these, a late booking event describes a visit that is already over.
_FINAL_STATES = ("cancelled", "completed", "missed")


class UnpricedService(LookupError):
    """The fee schedule has no price for a visit's service code on its date."""


def visit_booked(session: Session, *, appointment_id: uuid.UUID, patient_id: uuid.UUID, service_code: str,
                 on: date) -> None:
    if last_state(session, appointment_id) in _FINAL_STATES:
        log.info("ignoring a booking that arrived after the visit ended", extra={"appointment_id": str(appointment_id)})
        return
    note_appointment_state(session, appointment_id, "booked")
    reserve_for_booking(session, patient_id=patient_id, appointment_id=appointment_id, service_code=service_code,
                        on=on, actor=SYSTEM)


def visit_cancelled(session: Session, *, appointment_id: uuid.UUID, rescheduled: bool) -> None:
    note_appointment_state(session, appointment_id, "cancelled")
    # A visit cancelled to be rebooked keeps its request open for the new booking.
    release_for_visit(session, appointment_id, withdraw_unused_request=not rescheduled)


def visit_missed(session: Session, *, appointment_id: uuid.UUID) -> None:
    note_appointment_state(session, appointment_id, "missed")
    release_for_visit(session, appointment_id, withdraw_unused_request=False)


def visit_completed(session: Session, *, appointment_id: uuid.UUID, patient_id: uuid.UUID, service_code: str,
                    appointment_type_code: str | None, on: date, settings: BillingSettings) -> Charge:
    """One charge per visit at the fee schedule's price, the authorization
    unit it uses, and a draft claim against the primary coverage in effect
    on the service date (none: the charge is self-pay)."""
    note_appointment_state(session, appointment_id, "completed")
    existing = charge_for_appointment(session, appointment_id)
    if existing is not None:
        log.info("visit already charged", extra={"appointment_id": str(appointment_id)})
        return existing
    entry = fee_schedule().price_on(service_code, on)
    if entry is None:
        raise UnpricedService(f"no fee-schedule price for service code {service_code} on {on}")
    kind = APPOINTMENT_TYPES.get(appointment_type_code) if appointment_type_code else None
    category = kind.billing_category if kind is not None and kind.service_code == service_code else entry.category
    coverage = primary_coverage_on(session, patient_id, on)
    prior_auth = use_for_visit(session, patient_id=patient_id, appointment_id=appointment_id,
                               service_code=service_code, coverage=coverage, on=on)
    charge = Charge(id=uuid.uuid4(), patient_id=patient_id, appointment_id=appointment_id,
                    service_code=service_code, appointment_type_code=appointment_type_code, category=category,
                    service_date=on, amount=entry.price, currency=entry.currency,
                    status="billed" if coverage else "self-pay",
                    prior_auth_id=prior_auth.id if prior_auth else None, created_at=clock.now())
    session.add(charge)
    session.flush()
    if coverage is not None:
        open_draft_claim(session, charge, coverage, settings, actor=SYSTEM)
    return charge
