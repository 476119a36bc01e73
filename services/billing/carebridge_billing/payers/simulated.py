"""The built-in simulated payer (development and tests).

It behaves as its rules say (`reference/data/simulated_payer.json`): which
members are no longer covered, how long a prior-authorization review takes,
whether it pends first and what it decides, how long claims take to
adjudicate and which ones it denies with which reason codes. It keeps no
state of its own: every answer follows from the submission billing stored
and the time on `carebridge.clock`, so tests (and the whole-stack journey)
move the payer along by moving the clock, and several processes asking
about the same claim get the same answer.

Claims it adjudicates as payable are paid at the billed amount less the
patient's share under the member's plan, worked out with the same rules as
billing's estimates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from carebridge import clock

from ..domain.cost_sharing import share_cost
from ..reference.files import load
from ..reference.payers import PayerDirectory, payer_directory
from .interface import (ClaimDecision, ClaimRequest, EligibilityAnswer, Member, PayerAdapter, PriorAuthDecision,
                        PriorAuthRequest, SubmittedClaim, SubmittedPriorAuth)

CARC_COVERAGE_TERMINATED = "27"
CARC_NON_COVERED = "96"
CARC_AUTHORIZATION_ABSENT = "197"
CARC_LACKS_INFORMATION = "16"


@dataclass(frozen=True)
class PriorAuthBehaviour:
    pend_after: timedelta | None
    decide_after: timedelta
    decision: str
    valid_days: int
    reason_codes: tuple[str, ...]


@dataclass(frozen=True)
class Denial:
    reason_codes: tuple[str, ...]
    overturned_on_appeal: bool


@dataclass(frozen=True)
class SimulatedPayerRules:
    inactive_member_ids: frozenset[str]
    prior_auth_default: PriorAuthBehaviour
    prior_auth_rules: dict[tuple[str, str, str], PriorAuthBehaviour]
    claim_accept_after: timedelta
    claim_adjudicate_after: timedelta
    claim_denials: dict[tuple[str, str, str], Denial]


def _minutes(value) -> timedelta | None:
    return None if value is None else timedelta(minutes=value)


def _behaviour(raw: dict) -> PriorAuthBehaviour:
    if raw["decision"] not in ("approved", "denied"):
        raise ValueError(f"simulated payer: a prior-auth decision is approved or denied, not {raw['decision']!r}")
    return PriorAuthBehaviour(pend_after=_minutes(raw["pend_after_minutes"]),
                              decide_after=_minutes(raw["decide_after_minutes"]), decision=raw["decision"],
                              valid_days=int(raw["valid_days"]), reason_codes=tuple(raw["reason_codes"]))


def _key(raw: dict) -> tuple[str, str, str]:
    return raw["payer_id"], raw["plan_id"], raw["service_code"]


def parse_rules(raw: dict) -> SimulatedPayerRules:
    return SimulatedPayerRules(
        inactive_member_ids=frozenset(raw["eligibility"]["inactive_member_ids"]),
        prior_auth_default=_behaviour(raw["prior_auth"]["default"]),
        prior_auth_rules={_key(rule): _behaviour(rule) for rule in raw["prior_auth"]["rules"]},
        claim_accept_after=_minutes(raw["claims"]["accept_after_minutes"]),
        claim_adjudicate_after=_minutes(raw["claims"]["adjudicate_after_minutes"]),
        claim_denials={_key(rule): Denial(tuple(rule["reason_codes"]), bool(rule["overturned_on_appeal"]))
                       for rule in raw["claims"]["denials"]},
    )


@lru_cache(maxsize=1)
def default_rules() -> SimulatedPayerRules:
    return parse_rules(load("simulated_payer.json"))


class SimulatedPayer(PayerAdapter):
    def __init__(self, rules: SimulatedPayerRules | None = None, directory: PayerDirectory | None = None):
        self.rules = rules or default_rules()
        self.directory = directory or payer_directory()

    def check_eligibility(self, member: Member, on: date) -> EligibilityAnswer:
        if self.directory.plan(member.payer_id, member.plan_id) is None:
            return EligibilityAnswer(active=False, reason_code="plan-not-found")
        if member.member_id in self.rules.inactive_member_ids:
            return EligibilityAnswer(active=False, reason_code="coverage-terminated")
        return EligibilityAnswer(active=True)

    def submit_claim(self, claim: ClaimRequest) -> str:
        return f"SIM-C-{claim.claim_id.hex[:16].upper()}{'-A' if claim.appeal else ''}"

    def submit_prior_authorization(self, request: PriorAuthRequest) -> str:
        return f"SIM-PA-{request.request_id.hex[:16].upper()}"

    def fetch_prior_authorization_status(self, submitted: SubmittedPriorAuth) -> PriorAuthDecision:
        request = submitted.request
        behaviour = self.rules.prior_auth_rules.get(
            (request.member.payer_id, request.member.plan_id, request.service_code), self.rules.prior_auth_default)
        elapsed = clock.now() - submitted.submitted_at
        if elapsed >= behaviour.decide_after:
            if behaviour.decision == "denied":
                return PriorAuthDecision("denied", reason_codes=behaviour.reason_codes)
            decided_on = (submitted.submitted_at + behaviour.decide_after).date()
            return PriorAuthDecision("approved", authorized_units=request.units,
                                     expires_on=decided_on + timedelta(days=behaviour.valid_days))
        if behaviour.pend_after is not None and elapsed >= behaviour.pend_after:
            return PriorAuthDecision("pended")
        return PriorAuthDecision("requested")

    def fetch_claim_status(self, submitted: SubmittedClaim) -> ClaimDecision:
        elapsed = clock.now() - submitted.submitted_at
        if elapsed < self.rules.claim_accept_after:
            return ClaimDecision("submitted")
        if elapsed < self.rules.claim_adjudicate_after:
            return ClaimDecision("accepted")
        reasons = self._denial_reasons(submitted.request)
        if reasons:
            return ClaimDecision("denied", reason_codes=reasons)
        billed = submitted.request.billed
        if submitted.benefits is None:
            return ClaimDecision("paid", paid=billed)
        share = share_cost(billed, submitted.benefits)
        return ClaimDecision("paid", paid=share.plan_pays, copay=share.copay, deductible=share.deductible,
                             coinsurance=share.coinsurance)

    def _denial_reasons(self, claim: ClaimRequest) -> tuple[str, ...]:
        member = claim.member
        plan = self.directory.plan(member.payer_id, member.plan_id)
        if plan is None:
            return (CARC_LACKS_INFORMATION,)
        if member.member_id in self.rules.inactive_member_ids:
            return (CARC_COVERAGE_TERMINATED,)
        codes = [line.service_code for line in claim.lines]
        if any(not plan.covers(code) for code in codes):
            return (CARC_NON_COVERED,)
        if claim.prior_auth_reference is None and any(plan.needs_prior_auth(code) for code in codes):
            return (CARC_AUTHORIZATION_ABSENT,)
        for code in codes:
            denial = self.rules.claim_denials.get((member.payer_id, member.plan_id, code))
            if denial and not (claim.appeal and denial.overturned_on_appeal):
                return denial.reason_codes
        return ()
