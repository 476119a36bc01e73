"""Sending claims and appeals to the payer.

A payer that does not answer leaves the claim visibly `submission-failed`,
with the attempt count and the time of the next try; the submission job
tries again with growing pauses. Nothing is lost and nothing else fails.

Each claim goes to the payer once: whoever sends it (staff now, or the job
at the end of the hold) holds its row locked (`claim_claim`, the job's
`FOR UPDATE SKIP LOCKED`), so the other waits or passes it over and then
sees it submitted; and every attempt of one submission carries the same
idempotency key (`submission_key`), so a resend after a lost answer or a
failed commit is recognised by the payer rather than filed again.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.errors import InvalidTransition

from ..domain.claims import AWAITING_SUBMISSION, CLAIM_LIFECYCLE
from ..payers import ClaimLine, ClaimRequest, PayerAdapter
from ..persistence.claims import Claim
from ..persistence.coverages import Coverage
from ..persistence.prior_auths import PriorAuthorization
from ..settings import BillingSettings
from .claims import move_claim
from .eligibility import member_of
from .payer_calls import await_decision, submit_to_payer


def submission_key(claim: Claim) -> str:
    """The claim and its submission round (0: the first filing; n: the n-th
    appeal): the same for every retry of that submission."""
    return f"{claim.id}/{claim.appeal_count}"


def claim_request(session: Session, claim: Claim) -> ClaimRequest:
    coverage = session.get(Coverage, claim.coverage_id)
    authorization = session.get(PriorAuthorization, claim.prior_auth_id) if claim.prior_auth_id else None
    # Only an authorization the payer granted has a number worth sending.
    reference = (authorization.payer_reference
                 if authorization is not None and authorization.status in ("approved", "expired") else None)
    return ClaimRequest(claim_id=claim.id, member=member_of(coverage), service_date=claim.service_date,
                        currency=claim.currency,
                        lines=tuple(ClaimLine(c.service_code, c.amount) for c in claim.charges),
                        prior_auth_reference=reference, appeal=claim.submission_kind == "appeal",
                        idempotency_key=submission_key(claim))


def submit_claim(session: Session, claim: Claim, adapter: PayerAdapter, settings: BillingSettings,
                 actor: str) -> Claim:
    """Staff sending a draft (or failed) claim now, rather than at the end of its hold."""
    if claim.status not in AWAITING_SUBMISSION:
        raise InvalidTransition(claim.status, "submitted", CLAIM_LIFECYCLE.moves[claim.status])
    return send_claim(session, claim, adapter, settings, actor)


def appeal_claim(session: Session, claim: Claim, adapter: PayerAdapter, settings: BillingSettings,
                 actor: str) -> Claim:
    if claim.status != "denied":
        raise InvalidTransition(claim.status, "appealed", CLAIM_LIFECYCLE.moves[claim.status])
    claim.submission_kind = "appeal"
    claim.appeal_count += 1
    claim.submission_attempts = 0
    return send_claim(session, claim, adapter, settings, actor)


def send_claim(session: Session, claim: Claim, adapter: PayerAdapter, settings: BillingSettings,
               actor: str) -> Claim:
    request = claim_request(session, claim)
    payer_claim_id = submit_to_payer(claim, "claim-submission", lambda: adapter.submit_claim(request),
                                     claim_id=str(claim.id))
    if payer_claim_id is None:
        if claim.status != "submission-failed":
            move_claim(claim, "submission-failed", actor=actor)
        session.flush()
        return claim
    claim.payer_claim_id = payer_claim_id
    claim.submitted_at = clock.now()
    await_decision(claim, settings)
    if request.appeal:
        move_claim(claim, "appealed", actor=actor)
    else:
        move_claim(claim, "submitted", actor=actor)
        outbox.record(session, "billing.claim-submitted", {
            "claim_id": claim.id, "patient_id": claim.patient_id, "coverage_id": claim.coverage_id,
            "appointment_id": claim.appointment_id, "service_codes": claim.service_codes,
            "billed": {"amount": claim.billed, "currency": claim.currency}})
    session.flush()
    return claim
