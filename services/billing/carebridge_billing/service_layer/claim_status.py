"""Asking the payer about claims it holds, and acting on its decisions:
a denial is told to billing staff (billing.claim-denied); a payment records
the paid amount and the patient's share, which counts toward the
deductible and out-of-pocket maximum of the service date's plan year
(billing.claim-paid)."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from carebridge import clock, outbox

from ..domain.claims import CLAIM_LIFECYCLE
from ..payers import ClaimDecision, PayerAdapter, SubmittedClaim
from ..persistence.claims import Claim
from ..persistence.coverages import Coverage
from ..settings import BillingSettings
from .claim_submission import claim_request
from .claims import move_claim
from .coverages import add_to_amounts_met, benefits_for
from .payer_calls import ask_payer, await_decision

log = logging.getLogger(__name__)
PAYER = "payer"


def refresh_claim(session: Session, claim: Claim, adapter: PayerAdapter, settings: BillingSettings) -> Claim:
    coverage = session.get(Coverage, claim.coverage_id)
    category = claim.charges[0].category if claim.charges else None
    benefits = benefits_for(session, coverage, category, claim.service_date) if category else None
    submitted = SubmittedClaim(payer_claim_id=claim.payer_claim_id, submitted_at=claim.submitted_at,
                               request=claim_request(session, claim), benefits=benefits)
    decision = ask_payer(claim, "claim-status", lambda: adapter.fetch_claim_status(submitted), settings,
                         claim_id=str(claim.id))
    if decision is not None:
        apply_claim_decision(session, claim, coverage, decision, settings)
    session.flush()
    return claim


def apply_claim_decision(session: Session, claim: Claim, coverage: Coverage, decision: ClaimDecision,
                         settings: BillingSettings) -> None:
    still_pending = decision.status == "submitted" or decision.status == claim.status or (
        claim.status == "appealed" and decision.status == "accepted")
    if still_pending or not CLAIM_LIFECYCLE.allows(claim.status, decision.status):
        if not still_pending:
            log.warning("ignoring a payer status the claim lifecycle does not allow",
                        extra={"claim_id": str(claim.id), "status": decision.status})
        await_decision(claim, settings)
        session.flush()
        return
    if decision.status == "accepted":
        move_claim(claim, "accepted", actor=PAYER)
        await_decision(claim, settings)
    elif decision.status == "denied":
        _denied(session, claim, decision)
    elif decision.status == "paid":
        _paid(session, claim, coverage, decision)
    session.flush()


def _denied(session: Session, claim: Claim, decision: ClaimDecision) -> None:
    move_claim(claim, "denied", actor=PAYER, reason_codes=decision.reason_codes)
    claim.reason_codes = list(decision.reason_codes)
    claim.decided_at = clock.now()
    claim.next_action_at = None
    outbox.record(session, "billing.claim-denied", {
        "claim_id": claim.id, "patient_id": claim.patient_id, "appointment_id": claim.appointment_id,
        "reason_codes": list(decision.reason_codes), "service_date": claim.service_date,
        "after_appeal": claim.appeal_count > 0})


def _paid(session: Session, claim: Claim, coverage: Coverage, decision: ClaimDecision) -> None:
    move_claim(claim, "paid", actor=PAYER, reason_codes=decision.reason_codes)
    claim.reason_codes = list(decision.reason_codes)
    claim.paid = decision.paid
    claim.copay, claim.deductible, claim.coinsurance = decision.copay, decision.deductible, decision.coinsurance
    claim.decided_at = clock.now()
    claim.next_action_at = None
    add_to_amounts_met(session, coverage, claim.service_date, deductible=decision.deductible,
                       out_of_pocket=decision.patient_responsibility)
    outbox.record(session, "billing.claim-paid", {
        "claim_id": claim.id, "patient_id": claim.patient_id, "appointment_id": claim.appointment_id,
        "paid": {"amount": decision.paid, "currency": claim.currency},
        "patient_responsibility": {"amount": decision.patient_responsibility, "currency": claim.currency},
        "service_date": claim.service_date, "billed": {"amount": claim.billed, "currency": claim.currency}})

