from datetime import date, timedelta

import pytest

from carebridge.errors import InvalidTransition
from carebridge_billing.domain.claims import CLAIM_LIFECYCLE
from carebridge_billing.domain.issues import ISSUE_LIFECYCLE
from carebridge_billing.domain.plan_year import plan_year_start
from carebridge_billing.domain.prior_auths import PRIOR_AUTH_LIFECYCLE, is_valid_on, units_free
from carebridge_billing.domain.retries import retry_delay


@pytest.mark.parametrize("path", [
    ["draft", "submitted", "accepted", "paid"],
    ["draft", "submitted", "accepted", "denied", "appealed", "paid"],
    ["draft", "submission-failed", "submission-failed", "submitted", "denied", "submission-failed", "appealed",
     "denied"],
])
def test_claims_follow_their_lifecycle(path):
    for current, requested in zip(path, path[1:]):
        CLAIM_LIFECYCLE.check(current, requested)


@pytest.mark.parametrize("current, requested", [
    ("paid", "appealed"), ("draft", "paid"), ("accepted", "submitted"), ("appealed", "accepted")])
def test_claims_cannot_skip_or_reverse(current, requested):
    with pytest.raises(InvalidTransition) as refused:
        CLAIM_LIFECYCLE.check(current, requested)
    assert refused.value.status == 409
    assert refused.value.extensions["allowed"] == sorted(CLAIM_LIFECYCLE.moves[current])


def test_prior_authorizations_pend_then_are_decided_and_expire():
    for current, requested in [("requested", "pended"), ("pended", "approved"), ("approved", "expired"),
                               ("requested", "denied"), ("pended", "withdrawn")]:
        PRIOR_AUTH_LIFECYCLE.check(current, requested)
    for current, requested in [("approved", "pended"), ("denied", "approved"), ("expired", "approved"),
                               ("approved", "withdrawn")]:
        assert not PRIOR_AUTH_LIFECYCLE.allows(current, requested)


def test_issues_are_resolved_before_they_close_and_may_reopen():
    assert ISSUE_LIFECYCLE.allows("waiting-on-payer", "resolved")
    assert ISSUE_LIFECYCLE.allows("resolved", "in-progress")
    assert not ISSUE_LIFECYCLE.allows("open", "closed")
    assert not ISSUE_LIFECYCLE.allows("closed", "open")


def test_an_authorization_is_valid_through_its_expiry_day_only_when_approved():
    expires = date(2026, 5, 1)
    assert is_valid_on("approved", expires, expires)
    assert not is_valid_on("approved", expires, expires + timedelta(days=1))
    assert not is_valid_on("pended", expires, expires)
    assert units_free(3, 1) == 2 and units_free(1, 2) == 0


@pytest.mark.parametrize("on, start_month, expected", [
    (date(2026, 3, 2), 1, date(2026, 1, 1)),
    (date(2026, 3, 2), 7, date(2025, 7, 1)),
    (date(2026, 7, 1), 7, date(2026, 7, 1)),
])
def test_plan_years_start_on_the_plans_month(on, start_month, expected):
    assert plan_year_start(on, start_month) == expected


def test_payer_retries_back_off_to_six_hours_and_never_stop():
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=5), timedelta(minutes=10),
                                                  timedelta(minutes=20)]
    assert retry_delay(8) == timedelta(hours=6) and retry_delay(500) == timedelta(hours=6)
