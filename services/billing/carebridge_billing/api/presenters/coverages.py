"""Coverage shaped for the API."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ...persistence.coverages import Coverage, EligibilityCheck, coverages_on, inactive_on
from ...reference import payer_directory
from ...service_layer.common import today
from ...service_layer.coverages import amounts_met
from ...service_layer.eligibility import last_check
from ..fields import money


def _names(coverage: Coverage) -> tuple[str, str]:
    payer = payer_directory().payer(coverage.payer_id)
    plan = payer_directory().plan(coverage.payer_id, coverage.plan_id)
    return (payer.name if payer else coverage.payer_id), (plan.name if plan else coverage.plan_id)


def _cost_sharing(session: Session, coverage: Coverage) -> dict:
    starts_on, deductible_met, out_of_pocket_met = amounts_met(session, coverage, today())
    payer_name, plan_name = _names(coverage)
    c = coverage.currency
    return {
        "payer_name": payer_name, "plan_name": plan_name, "order": coverage.priority,
        "effective_start": coverage.effective_start, "effective_end": coverage.effective_end,
        "copays": {copay.category: money(copay.amount, c) for copay in coverage.copays},
        "coinsurance_percent": coverage.coinsurance_percent,
        "deductible": money(coverage.deductible, c),
        "out_of_pocket_max": money(coverage.out_of_pocket_max, c),
        "current_plan_year": {"starts_on": starts_on, "deductible_met": money(deductible_met, c),
                              "out_of_pocket_met": money(out_of_pocket_met, c)},
    }


def eligibility_body(check: EligibilityCheck | None) -> dict | None:
    if check is None:
        return None
    return {"id": check.id, "coverage_id": check.coverage_id, "service_date": check.service_date,
            "status": "active" if check.active else "inactive", "reason_code": check.reason_code,
            "checked_by": check.checked_by, "checked_at": check.checked_at}


def coverage_body(session: Session, coverage: Coverage) -> dict:
    return {
        "id": coverage.id, "patient_id": coverage.patient_id, "payer_id": coverage.payer_id,
        "plan_id": coverage.plan_id, "member_id": coverage.member_id, "group_id": coverage.group_id,
        "subscriber_member_id": coverage.subscriber_member_id,
        "relationship": coverage.relationship_to_subscriber, "status": coverage.status,
        "currency": coverage.currency,
        "plan_year_start_month": coverage.plan_year_start_month,
        "eligibility": eligibility_body(last_check(session, coverage.id)),
        "version": coverage.version, "created_at": coverage.created_at, "updated_at": coverage.updated_at,
        **_cost_sharing(session, coverage),
    }


def summary_item(session: Session, coverage: Coverage) -> dict:
    reason = None
    if coverage.status == "inactive":
        check = last_check(session, coverage.id)
        reason = check.reason_code if check else None
    return {"coverage_id": coverage.id, "status": coverage.status, "status_reason": reason,
            **_cost_sharing(session, coverage)}


def coverage_summary(session: Session, patient_id, on) -> dict:
    """The patient's coverages in force on `on`, and those the payer reported
    inactive for it, as the care team reads them."""
    return {"patient_id": patient_id, "on": on,
            "coverages": [summary_item(session, c) for c in
                          coverages_on(session, patient_id, on) + inactive_on(session, patient_id, on)]}
