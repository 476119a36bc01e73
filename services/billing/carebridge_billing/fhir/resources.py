"""Mappings from the billing service's rows to FHIR R4: Coverage; Claim and
ClaimResponse for claims (`use = claim`) and for prior authorizations
(`use = preauthorization`). Services are coded in CPT or HCPCS, denials in
CARC. Plain functions; no access rules, no Flask."""
from __future__ import annotations

from carebridge.fhir.elements import codeable, coding, compact, fhir_date, instant, meta, money, period, reference

CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
PROCESS_PRIORITY = "http://terminology.hl7.org/CodeSystem/processpriority"
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
SUBSCRIBER_RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"
PAYER_SYSTEM = "urn:carebridge:payer"
MEMBER_SYSTEM = "urn:carebridge:member-id"
PAYER_CLAIM_SYSTEM = "urn:carebridge:payer-claim-id"
ORDER = {"primary": 1, "secondary": 2, "tertiary": 3}
# Claims the payer has answered, and what its answer says.
CLAIM_OUTCOMES = {"accepted": "queued", "appealed": "queued", "paid": "complete", "denied": "complete"}
PRIOR_AUTH_OUTCOMES = {"pended": "queued", "approved": "complete", "denied": "complete", "expired": "complete"}


def service_coding(code: str | None) -> dict | None:
    """CPT for five digits, HCPCS Level II for a letter and four digits."""
    if not code:
        return None
    return coding("cpt" if code[:1].isdigit() else "hcpcs", code)


def _payer(payer_id: str | None) -> dict | None:
    return {"identifier": {"system": PAYER_SYSTEM, "value": payer_id}, "display": payer_id} if payer_id else None


def _carc(codes) -> list[dict]:
    return [codeable(coding("carc", code)) for code in codes or []]


def coverage_resource(coverage) -> dict:
    return compact({
        "resourceType": "Coverage",
        "id": str(coverage.id),
        "meta": meta(coverage.version, coverage.updated_at,
                     "http://hl7.org/fhir/us/core/StructureDefinition/us-core-coverage"),
        "identifier": [{"type": codeable(coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MB",
                                                "Member Number")),
                        "system": MEMBER_SYSTEM, "value": coverage.member_id}],
        "status": coverage.status,
        "subscriberId": coverage.subscriber_member_id or coverage.member_id,
        "beneficiary": reference("Patient", coverage.patient_id),
        "relationship": codeable(coding(SUBSCRIBER_RELATIONSHIP, coverage.relationship_to_subscriber)),
        "period": period(coverage.effective_start, coverage.effective_end),
        "payor": [_payer(coverage.payer_id)],
        "class": [c for c in (
            {"type": codeable(coding(COVERAGE_CLASS, "plan")), "value": coverage.plan_id},
            {"type": codeable(coding(COVERAGE_CLASS, "group")), "value": coverage.group_id}
            if coverage.group_id else None) if c],
        "order": ORDER.get(coverage.priority),
        "costToBeneficiary": [
            *({"type": codeable(coding("http://terminology.hl7.org/CodeSystem/coverage-copay-type", "copay"),
                                text=copay.category),
               "valueMoney": money(copay.amount, coverage.currency)} for copay in coverage.copays),
            {"type": codeable(coding("http://terminology.hl7.org/CodeSystem/coverage-copay-type", "deductible")),
             "valueMoney": money(coverage.deductible, coverage.currency)},
            {"type": codeable(coding("http://terminology.hl7.org/CodeSystem/coverage-copay-type", "maxoutofpocket")),
             "valueMoney": money(coverage.out_of_pocket_max, coverage.currency)},
            {"type": codeable(text="coinsurance"),
             "valueQuantity": {"value": float(coverage.coinsurance_percent), "unit": "%",
                               "system": "http://unitsofmeasure.org", "code": "%"}},
        ],
    })


def _claim_common(*, record_id, use: str, status: str, patient_id, created, coverage_id, payer_id) -> dict:
    return {
        "resourceType": "Claim",
        "id": str(record_id),
        "status": status,
        "type": codeable(coding(CLAIM_TYPE, "professional", "Professional")),
        "use": use,
        "patient": reference("Patient", patient_id),
        "created": instant(created),
        "insurer": _payer(payer_id),
        "provider": {"display": "CareBridge"},
        "priority": codeable(coding(PROCESS_PRIORITY, "normal", "Normal")),
    }


def claim_resource(claim, *, payer_id: str | None = None) -> dict:
    return compact({
        **_claim_common(record_id=claim.id, use="claim", status="draft" if claim.status == "draft" else "active",
                        patient_id=claim.patient_id, created=claim.created_at, coverage_id=claim.coverage_id,
                        payer_id=payer_id),
        "meta": meta(claim.version, claim.updated_at),
        "identifier": [{"system": PAYER_CLAIM_SYSTEM, "value": claim.payer_claim_id}] if claim.payer_claim_id else [],
        "billablePeriod": period(claim.service_date, claim.service_date),
        "related": [],
        "insurance": [{"sequence": 1, "focal": True, "coverage": reference("Coverage", claim.coverage_id),
                       "preAuthRef": [str(claim.prior_auth_id)] if claim.prior_auth_id else []}],
        "item": [{"sequence": index, "productOrService": codeable(service_coding(charge.service_code)),
                  "servicedDate": fhir_date(charge.service_date), "net": money(charge.amount, charge.currency)}
                 for index, charge in enumerate(claim.charges, start=1)],
        "total": money(claim.billed, claim.currency),
    })


def claim_response_resource(claim, *, payer_id: str | None = None) -> dict:
    """The payer's answer to a claim (once it has answered)."""
    adjudication = [{"category": codeable(coding(ADJUDICATION, "submitted", "Submitted Amount")),
                     "amount": money(claim.billed, claim.currency)}]
    for category, display, amount in (("copay", "CoPay", claim.copay), ("deductible", "Deductible", claim.deductible),
                                      ("benefit", "Benefit Amount", claim.paid)):
        if amount is not None:
            adjudication.append({"category": codeable(coding(ADJUDICATION, category, display)),
                                 "amount": money(amount, claim.currency)})
    if claim.status == "denied":
        adjudication.append({"category": codeable(coding(ADJUDICATION, "benefit", "Benefit Amount")),
                             "reason": (_carc(claim.reason_codes) or [None])[0],
                             "amount": money(0, claim.currency)})
    return compact({
        "resourceType": "ClaimResponse",
        "id": str(claim.id),
        "meta": meta(claim.version, claim.updated_at),
        "identifier": [{"system": PAYER_CLAIM_SYSTEM, "value": claim.payer_claim_id}] if claim.payer_claim_id else [],
        "status": "active",
        "type": codeable(coding(CLAIM_TYPE, "professional", "Professional")),
        "use": "claim",
        "patient": reference("Patient", claim.patient_id),
        "created": instant(claim.decided_at or claim.updated_at),
        "insurer": _payer(payer_id) or {"display": "payer"},
        "request": reference("Claim", claim.id),
        "outcome": CLAIM_OUTCOMES.get(claim.status, "queued"),
        "disposition": claim.status,
        "item": [{"itemSequence": 1, "adjudication": adjudication}],
        "total": [{"category": a["category"], "amount": a["amount"]} for a in adjudication
                  if a.get("amount") and not a.get("reason")],
        "payment": {"type": codeable(coding("http://terminology.hl7.org/CodeSystem/ex-paymenttype", "complete")),
                    "amount": money(claim.paid, claim.currency)} if claim.paid is not None else None,
        "processNote": [{"number": index, "text": f"CARC {code}"}
                        for index, code in enumerate(claim.reason_codes or [], start=1)],
    })


def prior_auth_claim_resource(prior_auth) -> dict:
    return compact({
        **_claim_common(record_id=prior_auth.id, use="preauthorization",
                        status="cancelled" if prior_auth.status == "withdrawn" else "active",
                        patient_id=prior_auth.patient_id, created=prior_auth.created_at,
                        coverage_id=prior_auth.coverage_id, payer_id=prior_auth.payer_id),
        "meta": meta(prior_auth.version, prior_auth.updated_at),
        "insurance": [{"sequence": 1, "focal": True, "coverage": reference("Coverage", prior_auth.coverage_id)}],
        "item": [{"sequence": 1, "productOrService": codeable(service_coding(prior_auth.service_code)),
                  "quantity": {"value": prior_auth.requested_units}}],
    })


def prior_auth_response_resource(prior_auth) -> dict:
    adjudication = []
    if prior_auth.status in ("approved", "expired"):
        adjudication.append({"category": codeable(coding(ADJUDICATION, "eligible", "Eligible Amount")),
                             "value": prior_auth.authorized_units})
    if prior_auth.status == "denied":
        adjudication.append({"category": codeable(coding(ADJUDICATION, "eligible", "Eligible Amount")),
                             "reason": (_carc(prior_auth.reason_codes) or [None])[0], "value": 0})
    return compact({
        "resourceType": "ClaimResponse",
        "id": str(prior_auth.id),
        "meta": meta(prior_auth.version, prior_auth.updated_at),
        "status": "active",
        "type": codeable(coding(CLAIM_TYPE, "professional", "Professional")),
        "use": "preauthorization",
        "patient": reference("Patient", prior_auth.patient_id),
        "created": instant(prior_auth.decided_at or prior_auth.updated_at),
        "insurer": _payer(prior_auth.payer_id),
        "request": reference("Claim", prior_auth.id),
        "outcome": PRIOR_AUTH_OUTCOMES.get(prior_auth.status, "queued"),
        "disposition": prior_auth.status,
        "preAuthRef": prior_auth.payer_reference,
        "preAuthPeriod": period(None, prior_auth.expires_on),
        "item": [{"itemSequence": 1, "adjudication": adjudication}] if adjudication else [],
        "processNote": [{"number": index, "text": f"CARC {code}"}
                        for index, code in enumerate(prior_auth.reason_codes or [], start=1)],
    })
