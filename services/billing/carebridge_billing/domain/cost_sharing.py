"""What a patient pays for one service under their plan, and what the plan pays.

The order US plans apply (and the payer's explanation of benefits follows):

1. A copay for the visit's category, where the plan has one, replaces the
   deductible and coinsurance for that visit.
2. Otherwise the patient pays toward the deductible first (what remains of it
   this plan year), then the coinsurance percentage of the rest.
3. Whatever the patient would pay is capped by what remains of the
   out-of-pocket maximum this plan year; past the cap the plan pays all.

Amounts are exact Decimals, coinsurance rounded half-up to the cent.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import ZERO, cents, percent_of


@dataclass(frozen=True)
class Benefits:
    """A plan's cost sharing for one visit, with what the patient has already
    paid this plan year."""
    currency: str
    copay: Decimal | None
    coinsurance_percent: Decimal
    deductible: Decimal
    deductible_met: Decimal
    out_of_pocket_max: Decimal
    out_of_pocket_met: Decimal

    @property
    def deductible_remaining(self) -> Decimal:
        return max(ZERO, cents(self.deductible - self.deductible_met))

    @property
    def out_of_pocket_remaining(self) -> Decimal:
        return max(ZERO, cents(self.out_of_pocket_max - self.out_of_pocket_met))


@dataclass(frozen=True)
class CostShare:
    """The patient's part of one charge, by reason. The `*_due` amounts are
    before the out-of-pocket cap; `copay`, `deductible` and `coinsurance` are
    what the patient owes after it."""
    charge: Decimal
    copay_due: Decimal = ZERO
    deductible_due: Decimal = ZERO
    coinsurance_due: Decimal = ZERO
    copay: Decimal = ZERO
    deductible: Decimal = ZERO
    coinsurance: Decimal = ZERO
    # The whole price, when there is no coverage or the plan excludes the service.
    uncovered: Decimal = ZERO

    @property
    def capped_by(self) -> Decimal:
        """How much the out-of-pocket maximum took off what the patient would owe."""
        return cents(self.copay_due + self.deductible_due + self.coinsurance_due
                     - self.copay - self.deductible - self.coinsurance)

    @property
    def patient_pays(self) -> Decimal:
        return cents(self.copay + self.deductible + self.coinsurance + self.uncovered)

    @property
    def plan_pays(self) -> Decimal:
        return cents(self.charge - self.patient_pays)


def share_cost(charge: Decimal, benefits: Benefits) -> CostShare:
    charge = cents(charge)
    if charge < 0:
        raise ValueError("a charge cannot be negative")
    room = benefits.out_of_pocket_remaining
    if benefits.copay is not None:
        copay_due = min(cents(benefits.copay), charge)
        return CostShare(charge, copay_due=copay_due, copay=min(copay_due, room))
    deductible_due = min(charge, benefits.deductible_remaining)
    coinsurance_due = percent_of(charge - deductible_due, benefits.coinsurance_percent)
    # The cap takes from the deductible part first (it is paid first), then
    # from the coinsurance, so the parts still add up to what the patient owes.
    deductible = min(deductible_due, room)
    coinsurance = min(coinsurance_due, room - deductible)
    return CostShare(charge, deductible_due=deductible_due, coinsurance_due=coinsurance_due,
                     deductible=deductible, coinsurance=coinsurance)


def full_price(charge: Decimal) -> CostShare:
    """No coverage, or a service the plan does not cover: the patient owes the price."""
    charge = cents(charge)
    return CostShare(charge, uncovered=charge)
