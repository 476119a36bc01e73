"""Sending prior-authorization requests to the payer and acting on its
decisions. Every decision consumers must hear of (pended, approved, denied,
expired) goes out as billing.prior-auth-decided."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from carebridge import clock, outbox

from ..domain.prior_auths import PRIOR_AUTH_LIFECYCLE
from ..payers import PayerAdapter, PriorAuthDecision, PriorAuthRequest, SubmittedPriorAuth
from ..persistence.coverages import Coverage
from ..persistence.prior_auths import PriorAuthorization
from ..settings import BillingSettings
from .eligibility import member_of
from .common import touch
from .payer_calls import ask_payer, await_decision, submit_to_payer
from .prior_auths import move_prior_auth

log = logging.getLogger(__name__)


def _request(session: Session, prior_auth: PriorAuthorization) -> PriorAuthRequest:
    return PriorAuthRequest(request_id=prior_auth.id, member=member_of(session.get(Coverage, prior_auth.coverage_id)),
                            service_code=prior_auth.service_code, units=prior_auth.requested_units)


def send_prior_auth(session: Session, prior_auth: PriorAuthorization, adapter: PayerAdapter,
                    settings: BillingSettings) -> None:
    request = _request(session, prior_auth)
    reference = submit_to_payer(prior_auth, "prior-auth-submission",
                                lambda: adapter.submit_prior_authorization(request), resource_id=str(prior_auth.id))
    if reference is not None:
        prior_auth.payer_reference = reference
        prior_auth.submitted_at = clock.now()
        await_decision(prior_auth, settings)
    touch(prior_auth)
    session.flush()


def refresh_prior_auth(session: Session, prior_auth: PriorAuthorization, adapter: PayerAdapter,
                       settings: BillingSettings) -> None:
    submitted = SubmittedPriorAuth(payer_reference=prior_auth.payer_reference,
                                   submitted_at=prior_auth.submitted_at, request=_request(session, prior_auth))
    decision = ask_payer(prior_auth, "prior-auth-status",
                         lambda: adapter.fetch_prior_authorization_status(submitted), settings,
                         resource_id=str(prior_auth.id))
    if decision is not None:
        apply_prior_auth_decision(session, prior_auth, decision, settings)
    session.flush()


def apply_prior_auth_decision(session: Session, prior_auth: PriorAuthorization, decision: PriorAuthDecision,
                              settings: BillingSettings) -> None:
    if decision.status == prior_auth.status or not PRIOR_AUTH_LIFECYCLE.allows(prior_auth.status, decision.status):
        if decision.status not in (prior_auth.status, "requested"):
            log.warning("ignoring a payer status the prior-authorization lifecycle does not allow",
                        extra={"resource_id": str(prior_auth.id), "status": decision.status})
        await_decision(prior_auth, settings)
        session.flush()
        return
    move_prior_auth(prior_auth, decision.status)
    prior_auth.reason_codes = list(decision.reason_codes)
    if decision.status == "pended":
        await_decision(prior_auth, settings)
    else:
        prior_auth.decided_at = clock.now()
        prior_auth.next_action_at = None
    if decision.status == "approved":
        prior_auth.authorized_units = decision.authorized_units
        prior_auth.expires_on = decision.expires_on
    session.flush()
    publish_decision(session, prior_auth)


def publish_decision(session: Session, prior_auth: PriorAuthorization) -> None:
    outbox.record(session, "billing.prior-auth-decided", {
        "prior_auth_id": prior_auth.id, "patient_id": prior_auth.patient_id,
        "service_code": prior_auth.service_code, "appointment_id": prior_auth.appointment_id,
        "status": prior_auth.status, "authorized_units": prior_auth.authorized_units,
        "expires_on": prior_auth.expires_on, "reason_codes": list(prior_auth.reason_codes),
        "affected_appointment_ids": (reserved_visits(prior_auth) if prior_auth.status in ("denied", "expired")
                                     else [])})


def reserved_visits(prior_auth: PriorAuthorization, after=None) -> list:
    """The booked visits holding a unit of the authorization (those after a date only)."""
    return [allocation.appointment_id for allocation in prior_auth.allocations
            if allocation.state == "reserved" and (after is None or allocation.service_date > after)]
