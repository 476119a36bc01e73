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

from sqlalchemy import select

from carebridge import clock, outbox
from carebridge.errors import ConflictError, InvalidTransition

from ..domain.claims import AWAITING_SUBMISSION, CLAIM_LIFECYCLE
from ..payers import ClaimLine, ClaimRequest, PayerAdapter
from ..persistence.claims import Claim
from ..persistence.coverages import Coverage
from ..persistence.issues import BillingIssue, BillingIssueNote
from ..persistence.prior_auths import PriorAuthorization
from ..settings import BillingSettings
from .claims import move_claim
from .common import SYSTEM
from .eligibility import member_of
from .issues import open_issue
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


# An authorization the payer granted: the claim may go (an expired one still
# covered the service date it was used for).
GRANTED = ("approved", "expired")
HELD_SUMMARY = ("Claim held: the visit needs a prior authorization the payer has not approved yet. It is sent "
                "once the authorization is approved, or by staff with an override and a reason.")
HELD_ERROR = "awaiting-prior-authorization"


def authorization_not_granted(session: Session, claim: Claim) -> PriorAuthorization | None:
    """The visit's authorization, while the payer has not granted it."""
    if claim.prior_auth_id is None:
        return None
    authorization = session.get(PriorAuthorization, claim.prior_auth_id)
    return authorization if authorization.status not in GRANTED else None


def _held_issue(session: Session, claim: Claim) -> BillingIssue | None:
    return session.scalar(select(BillingIssue).where(BillingIssue.claim_id == claim.id,
                                                     BillingIssue.summary == HELD_SUMMARY,
                                                     BillingIssue.status != "closed"))


def hold_for_authorization(session: Session, claim: Claim, settings: BillingSettings) -> Claim:
    """Not sent: the payer would deny it. Looked at again at the next poll,
    with a billing issue saying why (one per claim)."""
    claim.last_error = HELD_ERROR
    claim.next_action_at = clock.now() + settings.payer_poll_interval
    if _held_issue(session, claim) is None:
        open_issue(session, {"patient_id": claim.patient_id, "category": "insurance-question", "source": "payer",
                             "summary": HELD_SUMMARY, "claim_id": claim.id}, SYSTEM)
    session.flush()
    return claim


def submit_claim(session: Session, claim: Claim, adapter: PayerAdapter, settings: BillingSettings,
                 actor: str, override_reason: str | None = None) -> Claim:
    """Staff sending a draft (or failed) claim now, rather than at the end of
    its hold; one whose authorization the payer has not granted only with an
    override and its reason (kept as a note of the claim's billing issue)."""
    if claim.status not in AWAITING_SUBMISSION:
        raise InvalidTransition(claim.status, "submitted", CLAIM_LIFECYCLE.moves[claim.status])
    pending = authorization_not_granted(session, claim)
    if pending is not None:
        if not override_reason:
            raise ConflictError(f"The visit's prior authorization is {pending.status}: the payer would deny the "
                                "claim. It is sent once approved; to send it now, give override_reason.",
                                reason=HELD_ERROR, prior_auth_status=pending.status)
        issue = _held_issue(session, claim) or open_issue(session, {
            "patient_id": claim.patient_id, "category": "insurance-question", "source": "payer",
            "summary": HELD_SUMMARY, "claim_id": claim.id}, SYSTEM)
        issue.notes.append(BillingIssueNote(author=actor, body=f"Submitted without an approved authorization: "
                                            f"{override_reason}", created_at=clock.now()))
    return send_claim(session, claim, adapter, settings, actor, overridden=pending is not None)


def appeal_claim(session: Session, claim: Claim, adapter: PayerAdapter, settings: BillingSettings,
                 actor: str) -> Claim:
    if claim.status != "denied":
        raise InvalidTransition(claim.status, "appealed", CLAIM_LIFECYCLE.moves[claim.status])
    claim.submission_kind = "appeal"
    claim.appeal_count += 1
    claim.submission_attempts = 0
    # Staff appeal on purpose: not held back for the authorization.
    return send_claim(session, claim, adapter, settings, actor, overridden=True)


def send_claim(session: Session, claim: Claim, adapter: PayerAdapter, settings: BillingSettings,
               actor: str, *, overridden: bool = False) -> Claim:
    if not overridden and authorization_not_granted(session, claim) is not None:
        return hold_for_authorization(session, claim, settings)
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
