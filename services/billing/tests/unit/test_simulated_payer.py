"""The simulated payer behaves as its data says, driven by the clock."""
import uuid
from datetime import date, timedelta
from decimal import Decimal as D

from carebridge_billing.domain.cost_sharing import Benefits
from carebridge_billing.payers import (ClaimLine, ClaimRequest, Member, PriorAuthRequest, SubmittedClaim,
                                       SubmittedPriorAuth)
from carebridge_billing.payers.simulated import SimulatedPayer

ACME_PPO = Member("acme-health", "ACME-PPO-2026", "ACM123456")
PAYER = SimulatedPayer()


def prior_auth(member=ACME_PPO, code="72148", submitted_at=None, units=1):
    request = PriorAuthRequest(uuid.uuid4(), member, code, units)
    return SubmittedPriorAuth(PAYER.submit_prior_authorization(request), submitted_at, request)


def claim(clock, code="99214", amount="185.00", member=ACME_PPO, reference=None, appeal=False, benefits=None):
    request = ClaimRequest(uuid.uuid4(), member, date(2026, 3, 2), "USD", (ClaimLine(code, D(amount)),),
                           prior_auth_reference=reference, appeal=appeal)
    return SubmittedClaim(PAYER.submit_claim(request), clock.now(), request, benefits)


def test_mri_authorization_pends_first_then_is_approved(clock):
    submitted = prior_auth(submitted_at=clock.now())
    assert PAYER.fetch_prior_authorization_status(submitted).status == "pended"
    clock.advance(hours=47, minutes=59)
    assert PAYER.fetch_prior_authorization_status(submitted).status == "pended"
    clock.advance(minutes=1)
    decision = PAYER.fetch_prior_authorization_status(submitted)
    assert (decision.status, decision.authorized_units, decision.expires_on) == (
        "approved", 1, date(2026, 3, 4) + timedelta(days=60))


def test_an_authorization_without_a_rule_is_reviewed_then_approved(clock):
    submitted = prior_auth(code="93306", submitted_at=clock.now())
    assert PAYER.fetch_prior_authorization_status(submitted).status == "requested"
    clock.advance(days=1)
    assert PAYER.fetch_prior_authorization_status(submitted).status == "approved"


def test_basic_plan_denies_the_mri_as_not_medically_necessary(clock):
    submitted = prior_auth(member=Member("bluestone-mutual", "BSM-BASIC", "BSM1"), submitted_at=clock.now())
    clock.advance(days=1)
    decision = PAYER.fetch_prior_authorization_status(submitted)
    assert (decision.status, decision.reason_codes) == ("denied", ("50",))


def test_submissions_get_stable_references():
    request = PriorAuthRequest(uuid.uuid4(), ACME_PPO, "72148", 1)
    assert PAYER.submit_prior_authorization(request) == PAYER.submit_prior_authorization(request)


def test_claims_are_received_accepted_then_paid_with_the_members_share(clock):
    plan = Benefits("USD", D("25"), D("20"), D("1000"), D("400"), D("3000"), D("900"))
    submitted = claim(clock, benefits=plan)
    assert PAYER.fetch_claim_status(submitted).status == "submitted"
    clock.advance(hours=1)
    assert PAYER.fetch_claim_status(submitted).status == "accepted"
    clock.advance(hours=23)
    decision = PAYER.fetch_claim_status(submitted)
    assert (decision.status, decision.paid, decision.copay, decision.patient_responsibility) == (
        "paid", D("160.00"), D("25.00"), D("25.00"))


def test_mri_claims_are_denied_and_overturned_on_appeal(clock):
    denied = claim(clock, code="72148", amount="1250.00", reference="SIM-PA-1")
    clock.advance(days=1)
    assert (PAYER.fetch_claim_status(denied).status, PAYER.fetch_claim_status(denied).reason_codes) == (
        "denied", ("50",))
    appeal = claim(clock, code="72148", amount="1250.00", reference="SIM-PA-1", appeal=True)
    clock.advance(days=1)
    assert PAYER.fetch_claim_status(appeal).status == "paid"


def test_claims_without_a_needed_authorization_are_denied_197(clock):
    submitted = claim(clock, code="93306", amount="1450.00")
    clock.advance(days=1)
    assert PAYER.fetch_claim_status(submitted).reason_codes == ("197",)


def test_uncovered_services_and_terminated_members_are_denied(clock):
    uncovered = claim(clock, code="G2012", amount="25.00", member=Member("acme-health", "ACME-HMO-2026", "A1"))
    terminated = claim(clock, member=Member("acme-health", "ACME-PPO-2026", "ACM-TERMINATED"))
    clock.advance(days=1)
    assert PAYER.fetch_claim_status(uncovered).reason_codes == ("96",)
    assert PAYER.fetch_claim_status(terminated).reason_codes == ("27",)


def test_eligibility_follows_the_member_list_and_the_directory():
    assert PAYER.check_eligibility(ACME_PPO, date(2026, 3, 2)).active
    terminated = PAYER.check_eligibility(Member("acme-health", "ACME-PPO-2026", "ACM-TERMINATED"), date(2026, 3, 2))
    assert (terminated.active, terminated.reason_code) == (False, "coverage-terminated")
    assert PAYER.check_eligibility(Member("acme-health", "GONE", "X"), date(2026, 3, 2)).reason_code == \
        "plan-not-found"
