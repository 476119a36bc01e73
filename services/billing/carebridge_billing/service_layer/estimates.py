"""A patient's cost estimate for one service on one date, kept as given."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.db import get_or_404
from carebridge.errors import ConflictError

from ..domain.cost_sharing import full_price, share_cost
from ..domain.explanation import InactiveCoverage, explain_not_covered, explain_with_coverage, explain_without_coverage
from ..persistence.coverages import inactive_on, latest_eligibility, primary_coverage_on
from ..persistence.estimates import Estimate
from ..reference import payer_directory
from .common import refuse, today
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


def _money(amount, currency: str) -> dict:
    return {"amount": amount, "currency": currency}


def send_estimate(session: Session, estimate: Estimate, *, include_family: bool) -> dict:
    """Announce that staff send this estimate to the patient (and, when
    `include_family`, to each relative with consent to billing news):
    notifications writes the letter from the event's codes and amounts. An
    estimate for a day that has passed is no longer an estimate: 409."""
    if estimate.service_date < today():
        raise ConflictError("This estimate is for a day that has passed; make a new one to send.",
                            service_date=estimate.service_date.isoformat())
    c = estimate.currency
    sending = {"sending_id": uuid.uuid4(), "estimate_id": estimate.id, "patient_id": estimate.patient_id,
               "service_code": estimate.service_code, "appointment_type_code": estimate.appointment_type_code,
               "category": estimate.category, "service_date": estimate.service_date, "basis": estimate.basis,
               "charge": _money(estimate.charge, c), "copay": _money(estimate.copay, c),
               "deductible": _money(estimate.deductible, c), "coinsurance": _money(estimate.coinsurance, c),
               "patient_pays": _money(estimate.patient_pays, c), "plan_pays": _money(estimate.plan_pays, c),
               "include_family": include_family}
    outbox.record(session, "billing.estimate-sent", sending)
    return {"sending_id": sending["sending_id"], "estimate_id": estimate.id, "patient_id": estimate.patient_id,
            "include_family": include_family, "sent_at": clock.now()}
