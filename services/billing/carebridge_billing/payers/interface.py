"""What billing needs from a payer, whoever carries the messages: the
built-in simulated payer, or a clearinghouse adapter (X12 270/271 for
eligibility, 837 for claims, 278 for prior authorization, 276/277 and 835 for
status and payment) behind the same four calls.

An adapter raises `PayerUnavailable` when the payer or the clearinghouse
cannot be reached or does not answer in time; callers turn that into one
degraded answer (a 503 for an eligibility check, a claim left visibly in
`submission-failed` for a later retry), never a failure of anything else.
Submissions carry billing's own id, which the payer uses to recognise a
resent submission, so a retry after a lost answer does not file twice.
"""
from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ..domain.cost_sharing import Benefits


class PayerUnavailable(Exception):
    """The payer or clearinghouse did not answer; try again later."""


@dataclass(frozen=True)
class Member:
    payer_id: str
    plan_id: str
    member_id: str
    group_id: str | None = None


@dataclass(frozen=True)
class EligibilityAnswer:
    active: bool
    # The payer's reason code when coverage is not active.
    reason_code: str | None = None


@dataclass(frozen=True)
class PriorAuthRequest:
    request_id: uuid.UUID
    member: Member
    service_code: str
    units: int


@dataclass(frozen=True)
class SubmittedPriorAuth:
    payer_reference: str
    submitted_at: datetime
    request: PriorAuthRequest


@dataclass(frozen=True)
class PriorAuthDecision:
    # requested (still in review), pended (more information needed), approved, denied
    status: str
    authorized_units: int | None = None
    expires_on: date | None = None
    reason_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimLine:
    service_code: str
    amount: Decimal


@dataclass(frozen=True)
class ClaimRequest:
    claim_id: uuid.UUID
    member: Member
    service_date: date
    currency: str
    lines: tuple[ClaimLine, ...]
    prior_auth_reference: str | None = None
    appeal: bool = False
    # The same for every attempt of one submission (the claim and its round:
    # the first filing, then each appeal): an adapter passes it on so that
    # the payer files a resent submission once, even when its answer or
    # billing's commit after it was lost.
    idempotency_key: str | None = None

    @property
    def billed(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True)
class SubmittedClaim:
    payer_claim_id: str
    submitted_at: datetime
    request: ClaimRequest
    # The member's cost sharing as billing knows it now. A clearinghouse
    # ignores it (the payer keeps its own accumulators); the simulated payer
    # adjudicates with it.
    benefits: Benefits | None = None


@dataclass(frozen=True)
class ClaimDecision:
    # submitted (received), accepted (in adjudication), paid, denied
    status: str
    reason_codes: tuple[str, ...] = ()
    paid: Decimal | None = None
    # The patient's share by reason (the 835's PR adjustments 3, 1 and 2).
    copay: Decimal = Decimal("0.00")
    deductible: Decimal = Decimal("0.00")
    coinsurance: Decimal = Decimal("0.00")

    @property
    def patient_responsibility(self) -> Decimal:
        return self.copay + self.deductible + self.coinsurance


class PayerAdapter(ABC):
    @abstractmethod
    def check_eligibility(self, member: Member, on: date) -> EligibilityAnswer: ...

    @abstractmethod
    def submit_claim(self, claim: ClaimRequest) -> str:
        """Send a claim (or an appeal of one); returns the payer's claim id."""

    @abstractmethod
    def submit_prior_authorization(self, request: PriorAuthRequest) -> str:
        """Send a prior-authorization request; returns the payer's reference."""

    @abstractmethod
    def fetch_claim_status(self, claim: SubmittedClaim) -> ClaimDecision: ...

    @abstractmethod
    def fetch_prior_authorization_status(self, request: SubmittedPriorAuth) -> PriorAuthDecision: ...
