"""Estimates shaped for the API."""
from __future__ import annotations

from ...persistence.estimates import Estimate
from ..fields import money


def estimate_body(estimate: Estimate) -> dict:
    c = estimate.currency
    return {
        "id": estimate.id, "patient_id": estimate.patient_id, "coverage_id": estimate.coverage_id,
        "service_code": estimate.service_code, "appointment_type_code": estimate.appointment_type_code,
        "category": estimate.category, "service_date": estimate.service_date, "basis": estimate.basis,
        "price": money(estimate.charge, c), "patient_pays": money(estimate.patient_pays, c),
        "plan_pays": money(estimate.plan_pays, c),
        "patient_share": {"copay": money(estimate.copay, c), "deductible": money(estimate.deductible, c),
                          "coinsurance": money(estimate.coinsurance, c)},
        "explanation": estimate.explanation, "created_by": estimate.created_by, "created_at": estimate.created_at,
    }
