"""Asking the payer whether a coverage is active."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.errors import DependencyUnavailable

from ..payers import Member, PayerAdapter
from ..persistence.coverages import Coverage, EligibilityCheck, latest_eligibility
from .common import touch
from .coverages import clashes_when_active
from .payer_calls import PayerCallFailed, call_payer


def member_of(coverage: Coverage) -> Member:
    return Member(payer_id=coverage.payer_id, plan_id=coverage.plan_id, member_id=coverage.member_id,
                  group_id=coverage.group_id)


def check_eligibility(session: Session, coverage: Coverage, adapter: PayerAdapter, on: date,
                      actor: str) -> EligibilityCheck:
    """Records the payer's answer; a payer that does not answer is a 503
    for this request only (nothing is recorded, the last answer stands)."""
    try:
        answer = call_payer("eligibility", lambda: adapter.check_eligibility(member_of(coverage), on),
                            resource_id=str(coverage.id))
    except PayerCallFailed:
        raise DependencyUnavailable("The payer did not answer the eligibility check; try again in a few minutes.",
                                    retry_after_seconds=60) from None
    check = EligibilityCheck(id=uuid.uuid4(), coverage_id=coverage.id, service_date=on, active=answer.active,
                             reason_code=answer.reason_code, checked_by=actor, checked_at=clock.now())
    session.add(check)
    _follow_the_answer(session, coverage, answer.active)
    session.flush()
    return check


def _follow_the_answer(session: Session, coverage: Coverage, active: bool) -> None:
    """The payer's answer decides whether the coverage is in force: an
    inactive (terminated) coverage stops giving cost sharing to estimates and
    claims, and one the payer finds active again is back in force. A coverage
    staff cancelled stays cancelled."""
    if coverage.status == "active" and not active:
        coverage.status = "inactive"
        touch(coverage)
    elif coverage.status == "inactive" and active and not clashes_when_active(session, coverage):
        coverage.status = "active"
        touch(coverage)


def last_check(session: Session, coverage_id) -> EligibilityCheck | None:
    return latest_eligibility(session, coverage_id)
