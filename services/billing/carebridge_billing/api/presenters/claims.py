"""Charges and claims shaped for the API."""
from __future__ import annotations

from ...persistence.charges import Charge
from ...persistence.claims import Claim
from ..fields import money, reasons


def charge_body(charge: Charge) -> dict:
    return {
        "id": charge.id, "patient_id": charge.patient_id, "appointment_id": charge.appointment_id,
        "service_code": charge.service_code, "appointment_type_code": charge.appointment_type_code,
        "category": charge.category, "service_date": charge.service_date,
        "amount": money(charge.amount, charge.currency), "status": charge.status, "claim_id": charge.claim_id,
        "prior_auth_id": charge.prior_auth_id, "created_at": charge.created_at,
    }


def claim_body(claim: Claim) -> dict:
    c = claim.currency
    paid = claim.paid is not None
    return {
        "id": claim.id, "patient_id": claim.patient_id, "coverage_id": claim.coverage_id,
        "appointment_id": claim.appointment_id, "prior_auth_id": claim.prior_auth_id,
        "service_date": claim.service_date, "service_codes": claim.service_codes, "status": claim.status,
        "submission_kind": claim.submission_kind, "billed": money(claim.billed, c), "paid": money(claim.paid, c),
        "patient_responsibility": money(claim.patient_responsibility, c),
        "patient_share": {"copay": money(claim.copay, c), "deductible": money(claim.deductible, c),
                          "coinsurance": money(claim.coinsurance, c)} if paid else None,
        "reasons": reasons(claim.reason_codes), "payer_claim_id": claim.payer_claim_id,
        "submission_attempts": claim.submission_attempts, "last_error": claim.last_error,
        "next_action_at": claim.next_action_at, "submitted_at": claim.submitted_at,
        "decided_at": claim.decided_at, "appeal_count": claim.appeal_count,
        "history": [{"from_status": h.from_status, "to_status": h.to_status, "reason_codes": h.reason_codes,
                     "actor": h.actor, "at": h.at} for h in claim.history],
        "version": claim.version, "created_at": claim.created_at, "updated_at": claim.updated_at,
    }
