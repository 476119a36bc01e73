"""Recording and changing a patient's coverage, and the cost sharing it gives
for one visit on one date."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import ConflictError

from ..domain.cost_sharing import Benefits
from ..domain.money import ZERO
from ..domain.plan_year import plan_year_start
from ..persistence.coverages import Coverage, CoverageCopay, PlanYearAccumulator, accumulator
from ..reference import payer_directory
from .common import refuse, today, touch

# Fields a staff member sets directly on the coverage row.
_PLAIN_FIELDS = ("member_id", "group_id", "subscriber_member_id", "relationship_to_subscriber", "priority",
                 "status", "effective_start", "effective_end", "coinsurance_percent", "plan_year_start_month")
_MONEY_FIELDS = ("deductible", "out_of_pocket_max")
# A change to any of these is checked against the amounts met this plan year.
_LIMIT_FIELDS = frozenset({"deductible", "out_of_pocket_max", "deductible_met", "out_of_pocket_met"})


def get_coverage(session: Session, coverage_id: uuid.UUID) -> Coverage:
    return get_or_404(session, Coverage, coverage_id, "coverage")


def create_coverage(session: Session, data: dict, actor: str) -> Coverage:
    now = clock.now()
    coverage = Coverage(id=uuid.uuid4(), patient_id=data["patient_id"], payer_id=data["payer_id"],
                        plan_id=data["plan_id"], currency=data["currency"], status="active",
                        created_by=actor, created_at=now, updated_at=now, copays=[])
    _apply(coverage, data)
    _refuse_overlap(session, coverage)
    session.add(coverage)
    session.flush()
    _set_amounts_met(session, coverage, data, is_new=True)
    session.flush()
    return coverage


def update_coverage(session: Session, coverage: Coverage, changes: dict) -> Coverage:
    touch(coverage)
    with session.no_autoflush:
        _apply(coverage, changes)
        _refuse_overlap(session, coverage)
    if _LIMIT_FIELDS.intersection(changes):
        _set_amounts_met(session, coverage, changes, is_new=False)
    session.flush()
    return coverage


def _apply(coverage: Coverage, data: dict) -> None:
    if payer_directory().plan(coverage.payer_id, coverage.plan_id) is None:
        raise refuse("plan_id", "Not a plan of this payer in the payer directory (see GET /payers).")
    for name in _PLAIN_FIELDS:
        if name in data:
            setattr(coverage, name, data[name])
    for name in _MONEY_FIELDS:
        if name in data:
            setattr(coverage, name, _amount(data[name], coverage.currency, name))
    if "copays" in data:
        coverage.copays = [CoverageCopay(category=category, amount=_amount(money, coverage.currency, "copays"))
                           for category, money in sorted(data["copays"].items())]
    if coverage.effective_end is not None and coverage.effective_end < coverage.effective_start:
        raise refuse("effective_end", "The coverage cannot end before it starts.")
    if coverage.relationship_to_subscriber != "self" and not coverage.subscriber_member_id:
        raise refuse("subscriber_member_id", "Give the subscriber's member id when the patient is a dependant.")
    if coverage.deductible > coverage.out_of_pocket_max:
        raise refuse("deductible", "The deductible cannot exceed the out-of-pocket maximum.")


def _amount(money: dict, currency: str, field: str) -> Decimal:
    if money["currency"] != currency:
        raise refuse(field, f"Amounts of this coverage are in {currency}.")
    return money["amount"]


def _set_amounts_met(session: Session, coverage: Coverage, data: dict, *, is_new: bool) -> None:
    """The amounts met so far in the current plan year, as staff read them
    off the payer's statement (later paid claims add to them)."""
    row = _plan_year_row(session, coverage, today(), is_new=is_new)
    if "deductible_met" in data:
        row.deductible_met = _amount(data["deductible_met"], coverage.currency, "deductible_met")
    if "out_of_pocket_met" in data:
        row.out_of_pocket_met = _amount(data["out_of_pocket_met"], coverage.currency, "out_of_pocket_met")
    if row.deductible_met > coverage.deductible:
        raise refuse("deductible_met", "More than the deductible cannot have been met.")
    if row.out_of_pocket_met > coverage.out_of_pocket_max:
        raise refuse("out_of_pocket_met", "More than the out-of-pocket maximum cannot have been met.")
    row.updated_at = clock.now()


def _refuse_overlap(session: Session, coverage: Coverage) -> None:
    """One primary (one secondary...) coverage at a time per patient."""
    if coverage.status != "active":
        return
    ends = coverage.effective_end or date.max
    clash = session.scalars(select(Coverage.id).where(
        Coverage.patient_id == coverage.patient_id, Coverage.priority == coverage.priority,
        Coverage.status == "active", Coverage.id != coverage.id,
        Coverage.effective_start <= ends,
        or_(Coverage.effective_end.is_(None), Coverage.effective_end >= coverage.effective_start))).first()
    if clash is not None:
        raise ConflictError(f"The patient already has an active {coverage.priority} coverage in this period; "
                            f"end or cancel it first.", conflicting_coverage_id=str(clash))


def clashes_when_active(session: Session, coverage: Coverage) -> bool:
    """Whether the coverage, put back in force, would overlap another of its order."""
    with session.no_autoflush:
        try:
            status, coverage.status = coverage.status, "active"
            _refuse_overlap(session, coverage)
        except ConflictError:
            return True
        finally:
            coverage.status = status
    return False


def amounts_met(session: Session, coverage: Coverage, on: date) -> tuple[date, Decimal, Decimal]:
    """The plan year holding `on`, and the deductible and out-of-pocket amounts met in it."""
    year = plan_year_start(on, coverage.plan_year_start_month)
    row = accumulator(session, coverage.id, year)
    if row is None:
        return year, ZERO, ZERO
    return year, row.deductible_met, row.out_of_pocket_met


def benefits_for(session: Session, coverage: Coverage, category: str, on: date) -> Benefits:
    _year, deductible_met, out_of_pocket_met = amounts_met(session, coverage, on)
    return Benefits(currency=coverage.currency, copay=coverage.copay_for(category),
                    coinsurance_percent=coverage.coinsurance_percent, deductible=coverage.deductible,
                    deductible_met=deductible_met, out_of_pocket_max=coverage.out_of_pocket_max,
                    out_of_pocket_met=out_of_pocket_met)


def add_to_amounts_met(session: Session, coverage: Coverage, on: date, deductible: Decimal,
                       out_of_pocket: Decimal) -> None:
    """A paid claim's patient share counts toward the plan year of its service date."""
    row = _plan_year_row(session, coverage, on)
    row.deductible_met = min(coverage.deductible, row.deductible_met + deductible)
    row.out_of_pocket_met = min(coverage.out_of_pocket_max, row.out_of_pocket_met + out_of_pocket)
    row.updated_at = clock.now()
    session.flush()


def _plan_year_row(session: Session, coverage: Coverage, on: date, *, is_new: bool = False) -> PlanYearAccumulator:
    """The amounts met in the plan year holding `on`, locked for a change (created at zero)."""
    year = plan_year_start(on, coverage.plan_year_start_month)
    row = None if is_new else accumulator(session, coverage.id, year, for_update=True)
    if row is None:
        row = PlanYearAccumulator(coverage_id=coverage.id, plan_year_start=year, deductible_met=ZERO,
                                  out_of_pocket_met=ZERO, updated_at=clock.now())
        session.add(row)
    return row
