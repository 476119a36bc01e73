from datetime import date
from decimal import Decimal

import pytest

from carebridge.vocabulary.appointment_types import APPOINTMENT_TYPES, BILLING_CATEGORIES
from carebridge_billing.domain.categories import one_visit, visits_of
from carebridge_billing.domain.monitoring import MONITORING_CODES
from carebridge_billing.reference import describe_reason, fee_schedule, payer_directory
from carebridge_billing.reference.fee_schedule import parse


def test_fee_schedule_prices_the_shared_service_codes():
    prices = {code: entry.price for code, entry in fee_schedule().in_force(date(2026, 3, 2)).items()}
    assert prices["99214"] == Decimal("185.00") and prices["72148"] == Decimal("1250.00")
    # Every visit's code, and the remote monitoring codes charged per month.
    assert set(prices) == {a.service_code for a in APPOINTMENT_TYPES.values()} | set(MONITORING_CODES)


def test_the_price_list_puts_every_service_code_in_a_shared_billing_category():
    for entry in fee_schedule().in_force(date(2026, 3, 2)).values():
        assert entry.category in BILLING_CATEGORIES


def test_a_new_price_list_applies_from_its_date_and_leaves_the_old_one():
    schedule = parse({"currency": "USD", "schedules": [
        {"effective_from": "2026-01-01", "entries": [
            {"service_code": "99214", "category": "primary-care", "price": "185.00", "description": "visit"}]},
        {"effective_from": "2027-01-01", "entries": [
            {"service_code": "99214", "category": "primary-care", "price": "190.00", "description": "visit"}]}]})
    assert schedule.price_on("99214", date(2026, 12, 31)).price == Decimal("185.00")
    assert schedule.price_on("99214", date(2027, 1, 1)).price == Decimal("190.00")
    assert schedule.price_on("99214", date(2025, 12, 31)) is None


def test_an_unknown_billing_category_is_refused_at_load():
    with pytest.raises(ValueError):
        parse({"currency": "USD", "schedules": [{"effective_from": "2026-01-01", "entries": [
            {"service_code": "1", "category": "dental", "price": "1.00", "description": "x"}]}]})


def test_appointment_types_place_a_shared_code_in_their_own_category():
    kinds = APPOINTMENT_TYPES
    assert kinds["follow-up"].service_code == kinds["cardiology-follow-up"].service_code == "99214"
    assert (kinds["follow-up"].billing_category, kinds["cardiology-follow-up"].billing_category) == \
        ("primary-care", "specialist")


@pytest.mark.parametrize("category", BILLING_CATEGORIES)
def test_every_shared_billing_category_has_words_for_the_patient(category):
    assert one_visit(category) and visits_of(category)


def test_payer_directory_knows_which_services_need_authorization():
    plan = payer_directory().plan("acme-health", "ACME-PPO-2026")
    assert plan.needs_prior_auth("72148") and plan.prior_auth_units["97110"] == 12
    assert not plan.needs_prior_auth("99214")
    assert not payer_directory().plan("acme-health", "ACME-HMO-2026").covers("G2012")
    assert payer_directory().plan("acme-health", "NO-SUCH-PLAN") is None


def test_reason_codes_are_described():
    assert describe_reason("197").startswith("Precertification/authorization")
    assert "remittance advice" in describe_reason("9999")
