"""The plain-language explanation that goes with an estimate, written for the
patient: what their plan charges, what they have already paid this year, and
how the amount comes about, in the order the plan applies it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .categories import one_visit, visits_of
from .cost_sharing import Benefits, CostShare
from .money import ZERO, spoken, spoken_percent

CLOSING = "This is an estimate; the final amount depends on how your plan processes the claim."


def _long_date(on: date) -> str:
    return f"{on:%B} {on.day}, {on.year}"


def _total(share: CostShare, currency: str) -> str:
    return f"Your estimated cost is {spoken(share.patient_pays, currency)}."


@dataclass(frozen=True)
class InactiveCoverage:
    """A coverage the payer reported not in force, and the payer's reason code."""
    plan_name: str
    reason_code: str | None


# The payer's reason codes for an inactive coverage, as a patient reads them.
_INACTIVE_REASONS = {
    "coverage-terminated": "has ended",
    "plan-not-found": "is not a plan the insurer knows",
}


def explain_without_coverage(share: CostShare, currency: str, category: str, on: date,
                             inactive: InactiveCoverage | None = None) -> str:
    if inactive is not None:
        why = _INACTIVE_REASONS.get(inactive.reason_code or "", "is not active")
        return " ".join([
            f"Your insurer told us that your {inactive.plan_name} coverage {why} "
            f"(reason: {inactive.reason_code or 'inactive'}), so it does not apply on {_long_date(on)} "
            f"and you would pay our full price for this {one_visit(category)}.",
            "If you have other insurance, or think this is a mistake, tell our billing team and we will "
            "check again and update this estimate.",
            _total(share, currency),
        ])
    return " ".join([
        f"We have no active insurance on file for you on {_long_date(on)}, so you would pay our full "
        f"price for this {one_visit(category)}.",
        "If you have insurance, share it with our billing team and we will update this estimate.",
        _total(share, currency),
    ])


def explain_not_covered(share: CostShare, currency: str, category: str) -> str:
    return " ".join([
        f"Your plan does not cover this {one_visit(category)}, so you would pay our full price for it.",
        _total(share, currency), CLOSING,
    ])


def explain_with_coverage(share: CostShare, benefits: Benefits, category: str) -> str:
    sentences = (_copay_sentences(share, benefits, category) if benefits.copay is not None
                 else _deductible_and_coinsurance_sentences(share, benefits, category))
    sentences += _cap_sentences(share, benefits, category)
    sentences += [_total(share, benefits.currency), CLOSING]
    return " ".join(sentences)


def _deductible_progress(benefits: Benefits) -> str:
    c = benefits.currency
    if benefits.deductible_remaining == ZERO:
        return f"You have met your {spoken(benefits.deductible, c)} deductible for this plan year"
    if benefits.deductible_met <= ZERO:
        return f"You have not yet paid toward your {spoken(benefits.deductible, c)} deductible"
    return f"You have met {spoken(benefits.deductible_met, c)} of your {spoken(benefits.deductible, c)} deductible"


def _copay_sentences(share: CostShare, benefits: Benefits, category: str) -> list[str]:
    c = benefits.currency
    sentences = [f"Your plan charges a {spoken(benefits.copay, c)} copay for {visits_of(category)}."]
    if benefits.deductible > ZERO:
        sentences.append(f"{_deductible_progress(benefits)}, but the copay replaces the deductible and "
                         f"coinsurance for these visits.")
    else:
        sentences.append("The copay replaces coinsurance for these visits.")
    if share.copay_due < benefits.copay:
        sentences.append(f"Our price for this {one_visit(category)} is only {spoken(share.charge, c)}, "
                         f"so you pay that instead of the full copay.")
    return sentences


def _deductible_and_coinsurance_sentences(share: CostShare, benefits: Benefits, category: str) -> list[str]:
    c = benefits.currency
    visit = one_visit(category)
    sentences = []
    if benefits.deductible > ZERO:
        if share.deductible_due == ZERO:
            sentences.append(f"{_deductible_progress(benefits)}.")
        elif share.deductible_due == share.charge:
            sentences.append(f"{_deductible_progress(benefits)}, so you pay this {visit}'s full price of "
                             f"{spoken(share.charge, c)} toward it.")
        else:
            sentences.append(f"{_deductible_progress(benefits)}, so you pay the first "
                             f"{spoken(share.deductible_due, c)} of this {visit}'s {spoken(share.charge, c)} price.")
    rest = share.charge - share.deductible_due
    if rest > ZERO:
        plan_percent = spoken_percent(100 - benefits.coinsurance_percent)
        if share.deductible_due > ZERO:
            basis, lead = f"the remaining {spoken(rest, c)}", "After that, your plan"
        else:
            basis, lead = f"this {visit}'s {spoken(rest, c)} price", "Your plan"
        if benefits.coinsurance_percent > ZERO:
            sentences.append(f"{lead} pays {plan_percent} of {basis} and you pay "
                             f"{spoken_percent(benefits.coinsurance_percent)} coinsurance: "
                             f"{spoken(share.coinsurance_due, c)}.")
        else:
            sentences.append(f"{lead} pays {basis} in full.")
    return sentences


def _cap_sentences(share: CostShare, benefits: Benefits, category: str) -> list[str]:
    if share.capped_by == ZERO:
        return []
    c = benefits.currency
    maximum = spoken(benefits.out_of_pocket_max, c)
    if benefits.out_of_pocket_remaining == ZERO:
        return [f"You have reached your {maximum} out-of-pocket maximum for this plan year, so your plan "
                f"pays for the whole {one_visit(category)}."]
    return [f"You have only {spoken(benefits.out_of_pocket_remaining, c)} left before you reach your {maximum} "
            f"out-of-pocket maximum for this plan year, so you pay no more than that."]
