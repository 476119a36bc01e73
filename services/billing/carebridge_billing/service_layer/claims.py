"""Opening claims and moving them through their lifecycle (with history)."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import ConflictError

from ..domain.claims import CLAIM_LIFECYCLE
from ..persistence.charges import Charge
from ..persistence.claims import Claim, ClaimStatusChange
from ..persistence.coverages import Coverage, primary_coverage_on
from ..settings import BillingSettings
from .common import refuse


def get_claim(session: Session, claim_id: uuid.UUID) -> Claim:
    return get_or_404(session, Claim, claim_id, "claim")


def claim_claim(session: Session, claim_id: uuid.UUID) -> Claim:
    """The claim, its row locked until the transaction ends (on PostgreSQL):
    a submission job holding it (it claims rows `FOR UPDATE SKIP LOCKED`)
    finishes first, and this caller then sees what the job did."""
    return get_or_404(session, Claim, claim_id, "claim", for_update=True)


def move_claim(claim: Claim, to_status: str, *, actor: str, reason_codes=()) -> None:
    CLAIM_LIFECYCLE.check(claim.status, to_status)
    _record(claim, claim.status, to_status, actor, reason_codes)
    claim.status = to_status


def _record(claim: Claim, from_status: str | None, to_status: str, actor: str, reason_codes=()) -> None:
    now = clock.now()
    claim.history.append(ClaimStatusChange(from_status=from_status, to_status=to_status,
                                           reason_codes=list(reason_codes), actor=actor, at=now))
    claim.updated_at = now


def open_draft_claim(session: Session, charge: Charge, coverage: Coverage, settings: BillingSettings,
                     actor: str) -> Claim:
    """A draft claim for one charge, held for review for the configured time
    before the submission job sends it (staff may submit it sooner)."""
    now = clock.now()
    claim = Claim(id=uuid.uuid4(), patient_id=charge.patient_id, coverage_id=coverage.id,
                  appointment_id=charge.appointment_id, prior_auth_id=charge.prior_auth_id,
                  service_date=charge.service_date, status="draft", submission_kind="original",
                  currency=charge.currency, billed=charge.amount, reason_codes=[], submission_attempts=0,
                  appeal_count=0, next_action_at=now + settings.claim_hold, created_at=now, updated_at=now,
                  history=[])
    _record(claim, None, "draft", actor)
    session.add(claim)
    session.flush()
    charge.claim_id = claim.id
    charge.status = "billed"
    session.flush()
    return claim


def claim_for_charge(session: Session, *, charge_id: uuid.UUID, coverage_id: uuid.UUID | None,
                     settings: BillingSettings, actor: str) -> Claim:
    """Bill a charge that has no claim yet (a self-pay visit whose coverage
    staff found later)."""
    charge = session.get(Charge, charge_id, with_for_update=True)
    if charge is None:
        raise refuse("charge_id", "No such charge.")
    if charge.claim_id is not None:
        raise ConflictError("This charge is already on a claim.", claim_id=str(charge.claim_id))
    if coverage_id is None:
        coverage = primary_coverage_on(session, charge.patient_id, charge.service_date)
        if coverage is None:
            raise refuse("coverage_id", "The patient has no primary coverage on the service date; record it first.")
    else:
        coverage = session.get(Coverage, coverage_id)
        if coverage is None or coverage.patient_id != charge.patient_id:
            raise refuse("coverage_id", "No such coverage for this patient.")
        if not coverage.is_effective_on(charge.service_date):
            raise refuse("coverage_id", "This coverage was not in effect on the service date.")
    return open_draft_claim(session, charge, coverage, settings, actor)
