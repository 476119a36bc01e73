"""A patient's cost estimate for one service on one date, kept as given."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404

from ..domain.cost_sharing import full_price, share_cost
from ..domain.explanation import InactiveCoverage, explain_not_covered, explain_with_coverage, explain_without_coverage
from ..persistence.coverages import inactive_on, latest_eligibility, primary_coverage_on
from ..persistence.estimates import Estimate
from ..reference import payer_directory
from .common import refuse
from .coverages import benefits_for
from .pricing import priced_service


def get_estimate(session: Session, estimate_id: uuid.UUID) -> Estimate:
    return get_or_404(session, Estimate, estimate_id, "estimate")


def _inactive_primary(session: Session, patient_id: uuid.UUID, on: date) -> InactiveCoverage | None:
    """The primary coverage the payer reported inactive for the date, to say why it is not used."""
    coverage = next((c for c in inactive_on(session, patient_id, on) if c.priority == "primary"), None)
    if coverage is None:
        return None
    check = latest_eligibility(session, coverage.id)
    plan = payer_directory().plan(coverage.payer_id, coverage.plan_id)
    return InactiveCoverage(plan_name=plan.name if plan else coverage.plan_id,
                            reason_code=check.reason_code if check else None)


def create_estimate(session: Session, *, patient_id: uuid.UUID, service_date: date, actor: str,
                    service_code: str | None = None, appointment_type_code: str | None = None) -> Estimate:
    service = priced_service(on=service_date, service_code=service_code,
                             appointment_type_code=appointment_type_code)
    price, category = service.entry.price, service.category
    coverage = primary_coverage_on(session, patient_id, service_date)
    if coverage is None:
        basis, currency, share = "no-coverage", service.entry.currency, full_price(price)
        explanation = explain_without_coverage(share, currency, category, service_date,
                                               inactive=_inactive_primary(session, patient_id, service_date))
    elif not payer_directory().plan(coverage.payer_id, coverage.plan_id).covers(service.entry.service_code):
        basis, currency, share = "not-covered", coverage.currency, full_price(price)
        explanation = explain_not_covered(share, currency, category)
    else:
        if coverage.currency != service.entry.currency:
            raise refuse("service_code", "The fee schedule and the coverage use different currencies.")
        benefits = benefits_for(session, coverage, category, service_date)
        basis, currency, share = "with-coverage", coverage.currency, share_cost(price, benefits)
        explanation = explain_with_coverage(share, benefits, category)
    estimate = Estimate(
        id=uuid.uuid4(), patient_id=patient_id, coverage_id=coverage.id if coverage else None,
        service_code=service.entry.service_code, appointment_type_code=service.appointment_type_code,
        category=category, service_date=service_date, basis=basis, currency=currency, charge=share.charge,
        copay=share.copay, deductible=share.deductible, coinsurance=share.coinsurance,
        patient_pays=share.patient_pays, plan_pays=share.plan_pays, explanation=explanation,
        created_by=actor, created_at=clock.now())
    session.add(estimate)
    session.flush()
    return estimate
