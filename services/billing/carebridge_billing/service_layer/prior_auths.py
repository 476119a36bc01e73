"""Prior authorizations: opening requests (for a booking that needs one, or
by staff), and the units visits reserve, use and give back."""
from __future__ import annotations

import logging
import uuid
from datetime import date

from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.db import get_or_404

from ..domain.prior_auths import OPEN, PRIOR_AUTH_LIFECYCLE, is_valid_on, units_free
from ..persistence.coverages import Coverage, primary_coverage_on
from ..persistence.prior_auths import PriorAuthAllocation, PriorAuthorization, authorizations_for
from ..reference import payer_directory
from .common import refuse, touch

log = logging.getLogger(__name__)


def get_prior_auth(session: Session, prior_auth_id: uuid.UUID) -> PriorAuthorization:
    return get_or_404(session, PriorAuthorization, prior_auth_id, "prior authorization")


def move_prior_auth(prior_auth: PriorAuthorization, to_status: str) -> None:
    PRIOR_AUTH_LIFECYCLE.check(prior_auth.status, to_status)
    prior_auth.status = to_status
    touch(prior_auth)


def units_held(prior_auth: PriorAuthorization) -> int:
    return prior_auth.units_in_state("reserved") + prior_auth.units_in_state("used")


def open_request(session: Session, *, patient_id: uuid.UUID, coverage: Coverage, service_code: str,
                 units: int, appointment_id: uuid.UUID | None, actor: str) -> PriorAuthorization:
    """A new request, sent to the payer by the payer job (at once, on its next
    turn); billing staff hear of it through billing.prior-auth-requested."""
    now = clock.now()
    prior_auth = PriorAuthorization(
        id=uuid.uuid4(), patient_id=patient_id, coverage_id=coverage.id, payer_id=coverage.payer_id,
        plan_id=coverage.plan_id, service_code=service_code, appointment_id=appointment_id,
        requested_units=units, status="requested", reason_codes=[], submission_attempts=0,
        next_action_at=now, opened_by=actor, created_at=now, updated_at=now, allocations=[])
    session.add(prior_auth)
    session.flush()
    outbox.record(session, "billing.prior-auth-requested", {
        "prior_auth_id": prior_auth.id, "patient_id": patient_id, "coverage_id": coverage.id,
        "payer_id": coverage.payer_id, "service_code": service_code, "appointment_id": appointment_id,
        "requested_units": units})
    return prior_auth


def request_by_staff(session: Session, *, patient_id: uuid.UUID, service_code: str, units: int,
                     coverage_id: uuid.UUID | None, on: date, actor: str) -> PriorAuthorization:
    if coverage_id is None:
        coverage = primary_coverage_on(session, patient_id, on)
        if coverage is None:
            raise refuse("coverage_id", "The patient has no primary coverage on this date; record it first.")
    else:
        coverage = session.get(Coverage, coverage_id)
        if coverage is None or coverage.patient_id != patient_id:
            raise refuse("coverage_id", "No such coverage for this patient.")
    return open_request(session, patient_id=patient_id, coverage=coverage, service_code=service_code,
                        units=units, appointment_id=None, actor=actor)


def withdraw(session: Session, prior_auth: PriorAuthorization) -> PriorAuthorization:
    """Stop a request the payer has not decided (the visits it was for are
    off); 409 for one that is decided already."""
    move_prior_auth(prior_auth, "withdrawn")
    prior_auth.next_action_at = None
    for allocation in prior_auth.allocations:
        if allocation.state == "reserved":
            allocation.state, allocation.updated_at = "released", clock.now()
    session.flush()
    return prior_auth


def reserve_for_booking(session: Session, *, patient_id: uuid.UUID, appointment_id: uuid.UUID,
                        service_code: str, on: date, actor: str) -> PriorAuthorization | None:
    """A booked visit that its plan says needs authorization holds a unit of
    a valid authorization, or of a request already open for the service, or
    opens a new request. Returns the authorization it holds, if any."""
    if session.get(PriorAuthAllocation, appointment_id) is not None:
        return None  # this visit was dealt with already
    coverage = primary_coverage_on(session, patient_id, on)
    if coverage is None:
        return None
    plan = payer_directory().plan(coverage.payer_id, coverage.plan_id)
    if plan is None or not plan.needs_prior_auth(service_code):
        return None
    for prior_auth in authorizations_for(session, patient_id, coverage.id, service_code, ("approved",)):
        if is_valid_on(prior_auth.status, prior_auth.expires_on, on) and \
                units_free(prior_auth.authorized_units or 0, units_held(prior_auth)):
            return _allocate(session, prior_auth, appointment_id, on, "reserved")
    for prior_auth in authorizations_for(session, patient_id, coverage.id, service_code, OPEN):
        if units_free(prior_auth.requested_units, units_held(prior_auth)):
            return _allocate(session, prior_auth, appointment_id, on, "reserved")
    prior_auth = open_request(session, patient_id=patient_id, coverage=coverage, service_code=service_code,
                              units=plan.prior_auth_units[service_code], appointment_id=appointment_id,
                              actor=actor)
    return _allocate(session, prior_auth, appointment_id, on, "reserved")


def use_for_visit(session: Session, *, patient_id: uuid.UUID, appointment_id: uuid.UUID, service_code: str,
                  coverage: Coverage | None, on: date) -> PriorAuthorization | None:
    """A completed visit uses the unit it held, or a free unit of a valid
    authorization for its service (one staff obtained without a booking)."""
    allocation = session.get(PriorAuthAllocation, appointment_id, with_for_update=True)
    if allocation is not None and allocation.state != "released":
        allocation.state, allocation.updated_at = "used", clock.now()
        touch(allocation.prior_auth)
        session.flush()
        return allocation.prior_auth
    if coverage is None:
        return None
    for prior_auth in authorizations_for(session, patient_id, coverage.id, service_code, ("approved",)):
        if is_valid_on(prior_auth.status, prior_auth.expires_on, on) and \
                units_free(prior_auth.authorized_units or 0, units_held(prior_auth)):
            if allocation is not None:  # it had given its unit back; take one again
                allocation.prior_auth_id, allocation.prior_auth = prior_auth.id, prior_auth
                allocation.state, allocation.updated_at = "used", clock.now()
                touch(prior_auth)
                session.flush()
                return prior_auth
            return _allocate(session, prior_auth, appointment_id, on, "used")
    return None


def release_for_visit(session: Session, appointment_id: uuid.UUID, *, withdraw_unused_request: bool) -> None:
    """A cancelled or missed visit gives its reserved unit back; a request
    opened for visits that are all cancelled is withdrawn."""
    allocation = session.get(PriorAuthAllocation, appointment_id, with_for_update=True)
    if allocation is None or allocation.state != "reserved":
        return
    allocation.state, allocation.updated_at = "released", clock.now()
    prior_auth = session.get(PriorAuthorization, allocation.prior_auth_id, with_for_update=True)
    touch(prior_auth)
    session.flush()
    if withdraw_unused_request and prior_auth.status in OPEN and units_held(prior_auth) == 0:
        withdraw(session, prior_auth)
        log.info("withdrew a prior-authorization request whose visits were cancelled",
                 extra={"resource_id": str(prior_auth.id), "appointment_id": str(appointment_id)})


def _allocate(session: Session, prior_auth: PriorAuthorization, appointment_id: uuid.UUID, on: date,
              state: str) -> PriorAuthorization:
    allocation = PriorAuthAllocation(appointment_id=appointment_id, prior_auth_id=prior_auth.id, state=state,
                                     service_date=on, updated_at=clock.now())
    prior_auth.allocations.append(allocation)
    touch(prior_auth)
    session.flush()
    return prior_auth
