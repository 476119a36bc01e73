"""Each estimate rule with exact amounts and the explanation the patient reads."""
from datetime import date
from decimal import Decimal as D

import pytest

from carebridge_billing.domain.cost_sharing import Benefits, full_price, share_cost
from carebridge_billing.domain.explanation import (CLOSING, explain_not_covered, explain_with_coverage,
                                                   explain_without_coverage)
from carebridge_billing.domain.money import spoken


def benefits(copay=None, coinsurance="20", deductible="1000", deductible_met="400", oop_max="3000",
             oop_met="900"):
    return Benefits(currency="USD", copay=None if copay is None else D(copay), coinsurance_percent=D(coinsurance),
                    deductible=D(deductible), deductible_met=D(deductible_met), out_of_pocket_max=D(oop_max),
                    out_of_pocket_met=D(oop_met))


def test_copay_only():
    plan = benefits(copay="30")
    share = share_cost(D("320.00"), plan)
    assert (share.patient_pays, share.plan_pays, share.copay, share.deductible, share.coinsurance) == (
        D("30.00"), D("290.00"), D("30.00"), D("0.00"), D("0.00"))
    assert explain_with_coverage(share, plan, "specialist") == (
        "Your plan charges a $30 copay for specialist visits. You have met $400 of your $1,000 deductible, "
        "but the copay replaces the deductible and coinsurance for these visits. Your estimated cost is $30. "
        + CLOSING)


def test_copay_above_the_price_charges_only_the_price():
    plan = benefits(copay="30")
    share = share_cost(D("25.00"), plan)
    assert share.patient_pays == D("25.00") and share.plan_pays == D("0.00")
    assert "Our price for this visit is only $25, so you pay that instead of the full copay." in \
        explain_with_coverage(share, plan, "telehealth")


def test_deductible_partly_met_then_coinsurance():
    plan = benefits()
    share = share_cost(D("1250.00"), plan)
    assert (share.deductible, share.coinsurance, share.patient_pays, share.plan_pays) == (
        D("600.00"), D("130.00"), D("730.00"), D("520.00"))
    assert explain_with_coverage(share, plan, "imaging") == (
        "You have met $400 of your $1,000 deductible, so you pay the first $600 of this test's $1,250 price. "
        "After that, your plan pays 80% of the remaining $650 and you pay 20% coinsurance: $130. "
        "Your estimated cost is $730. " + CLOSING)


def test_price_below_the_remaining_deductible_goes_all_to_it():
    plan = benefits(deductible_met="0")
    share = share_cost(D("185.00"), plan)
    assert (share.deductible, share.coinsurance, share.patient_pays) == (D("185.00"), D("0.00"), D("185.00"))
    assert explain_with_coverage(share, plan, "primary-care").startswith(
        "You have not yet paid toward your $1,000 deductible, so you pay this visit's full price of $185 toward "
        "it. Your estimated cost is $185.")


def test_coinsurance_once_the_deductible_is_met():
    plan = benefits(deductible_met="1000")
    share = share_cost(D("185.00"), plan)
    assert (share.deductible, share.coinsurance, share.patient_pays, share.plan_pays) == (
        D("0.00"), D("37.00"), D("37.00"), D("148.00"))
    assert explain_with_coverage(share, plan, "primary-care") == (
        "You have met your $1,000 deductible for this plan year. Your plan pays 80% of this visit's $185 price "
        "and you pay 20% coinsurance: $37. Your estimated cost is $37. " + CLOSING)


def test_coinsurance_rounds_half_up_to_the_cent():
    # 10% of 0.05 is 0.005: half-up gives a cent where banker's rounding gives none.
    assert share_cost(D("0.05"), benefits(coinsurance="10", deductible="0", deductible_met="0")).coinsurance \
        == D("0.01")
    # 12.5% of 185.00 is 23.125.
    share = share_cost(D("185.00"), benefits(coinsurance="12.5", deductible_met="1000"))
    assert share.coinsurance == D("23.13") and share.plan_pays == D("161.87")


def test_out_of_pocket_cap_already_reached():
    plan = benefits(deductible_met="1000", oop_met="3000")
    share = share_cost(D("1250.00"), plan)
    assert (share.patient_pays, share.plan_pays, share.capped_by) == (D("0.00"), D("1250.00"), D("250.00"))
    assert explain_with_coverage(share, plan, "imaging") == (
        "You have met your $1,000 deductible for this plan year. Your plan pays 80% of this test's $1,250 price "
        "and you pay 20% coinsurance: $250. You have reached your $3,000 out-of-pocket maximum for this plan "
        "year, so your plan pays for the whole test. Your estimated cost is $0. " + CLOSING)


def test_out_of_pocket_cap_reached_during_the_visit():
    plan = benefits(deductible_met="400", oop_met="2900")
    share = share_cost(D("1250.00"), plan)
    # 600 toward the deductible would be due, but only 100 is left before the cap.
    assert (share.deductible, share.coinsurance, share.patient_pays) == (D("100.00"), D("0.00"), D("100.00"))
    assert ("You have only $100 left before you reach your $3,000 out-of-pocket maximum for this plan year, "
            "so you pay no more than that. Your estimated cost is $100.") in explain_with_coverage(share, plan,
                                                                                                  "imaging")


def test_out_of_pocket_cap_applies_to_copays():
    plan = benefits(copay="30", oop_met="2990")
    share = share_cost(D("320.00"), plan)
    assert share.patient_pays == D("10.00") and share.plan_pays == D("310.00")


def test_no_coverage_is_the_full_price():
    share = full_price(D("1250.00"))
    assert (share.patient_pays, share.plan_pays) == (D("1250.00"), D("0.00"))
    assert explain_without_coverage(share, "USD", "imaging", date(2026, 3, 10)) == (
        "We have no active insurance on file for you on March 10, 2026, so you would pay our full price for this "
        "test. If you have insurance, share it with our billing team and we will update this estimate. "
        "Your estimated cost is $1,250.")


def test_service_the_plan_does_not_cover_is_the_full_price():
    share = full_price(D("25.00"))
    assert explain_not_covered(share, "USD", "telehealth") == (
        "Your plan does not cover this visit, so you would pay our full price for it. Your estimated cost is $25. "
        + CLOSING)


def test_plan_without_deductible_or_coinsurance_pays_in_full():
    plan = benefits(coinsurance="0", deductible="0", deductible_met="0")
    share = share_cost(D("120.00"), plan)
    assert share.patient_pays == D("0.00")
    assert explain_with_coverage(share, plan, "therapy").startswith(
        "Your plan pays this session's $120 price in full. Your estimated cost is $0.")


@pytest.mark.parametrize("amount, text", [
    (D("1000"), "$1,000"), (D("37.5"), "$37.50"), (D("0"), "$0"), (D("1234567.891"), "$1,234,567.89")])
def test_amounts_are_spoken_as_patients_read_them(amount, text):
    assert spoken(amount) == text


def test_other_currencies_are_named():
    assert spoken(D("12.3"), "EUR") == "EUR 12.30"


def test_a_negative_charge_is_refused():
    with pytest.raises(ValueError):
        share_cost(D("-1"), benefits())
