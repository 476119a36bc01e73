"""Examples of request and response bodies for the OpenAPI document (and so
for the generated client's documentation). A kit test loads every request
example through its operation's schema and checks every response example
against the documented one, so these stay true to the API."""
from __future__ import annotations

PATIENT_ID = "8a1f6c2e-4b7d-4f0a-9c3e-2d5b7e9f1a04"
COVERAGE_ID = "1b3d5f7a-9c2e-4d4f-8a6b-c1e3f5a7b9d2"
CHARGE_ID = "3d5f7a9c-1e2b-4f4a-8c6d-e3a5c7e9b1f4"
CLAIM_ID = "5f7a9c1e-3b2d-4a4c-9e6f-a5c7e9b1d3f6"
PRIOR_AUTH_ID = "7a9c1e3b-5d2f-4c4e-8a6b-c7e9b1d3f5a8"
ISSUE_ID = "9c1e3b5d-7f2a-4e4c-9a6d-e9b1d3f5a7c1"
NOTE_ID = "2e4a6c8b-1d3f-4b5a-9c7e-f1b3d5a7c9e2"
ESTIMATE_ID = "4a6c8e1b-3d5f-4d7a-8b9c-a3d5f7b9c1e4"
ELIGIBILITY_ID = "6c8e1a3d-5f7b-4f9c-9d2e-c5f7b9d1e3a6"
APPOINTMENT_ID = "d5f7b9a1-3c4e-4d6f-a8b2-c4e6a8d1f3b5"
BILLING_CLERK = "8e1a3c5f-7b9d-4b2e-8f4a-e7b9d1f3a5c8"
CREATED_AT = "2026-03-02T14:00:00+00:00"
CHANGED_AT = "2026-03-05T16:20:00+00:00"


def usd(amount: str) -> dict:
    return {"amount": amount, "currency": "USD"}


COST_SHARING = {
    "copays": {"primary-care": usd("25.00"), "specialist": usd("30.00")},
    "coinsurance_percent": "20.00",
    "deductible": usd("1000.00"),
    "out_of_pocket_max": usd("3000.00"),
}
NEW_COVERAGE = {
    "patient_id": PATIENT_ID,
    "payer_id": "acme-health",
    "plan_id": "ACME-PPO-2026",
    "member_id": "ACM123456",
    "group_id": "GRP-77",
    "relationship": "self",
    "order": "primary",
    "effective_start": "2026-01-01",
    **COST_SHARING,
    "deductible_met": usd("400.00"),
    "out_of_pocket_met": usd("900.00"),
    "plan_year_start_month": 1,
}
COVERAGE = {
    "id": COVERAGE_ID,
    "patient_id": PATIENT_ID,
    "payer_id": "acme-health",
    "payer_name": "Acme Health",
    "plan_id": "ACME-PPO-2026",
    "plan_name": "Acme Health PPO 2026",
    "member_id": "ACM123456",
    "group_id": "GRP-77",
    "subscriber_member_id": None,
    "relationship": "self",
    "order": "primary",
    "status": "active",
    "currency": "USD",
    "effective_start": "2026-01-01",
    "effective_end": None,
    **COST_SHARING,
    "plan_year_start_month": 1,
    "current_plan_year": {"starts_on": "2026-01-01", "deductible_met": usd("400.00"),
                          "out_of_pocket_met": usd("900.00")},
    "eligibility": None,
    "version": 1,
    "created_at": CREATED_AT,
    "updated_at": CREATED_AT,
}
COVERAGE_CHANGES = {"effective_end": "2026-12-31", "deductible_met": usd("650.00")}
CHANGED_COVERAGE = {**COVERAGE, "effective_end": "2026-12-31", "version": 2, "updated_at": CHANGED_AT,
                    "current_plan_year": {**COVERAGE["current_plan_year"], "deductible_met": usd("650.00")}}
ELIGIBILITY_REQUEST = {"service_date": "2026-03-10"}
ELIGIBILITY = {"id": ELIGIBILITY_ID, "coverage_id": COVERAGE_ID, "service_date": "2026-03-10", "status": "active",
               "reason_code": None, "checked_by": BILLING_CLERK, "checked_at": CREATED_AT}

ESTIMATE_REQUEST = {"patient_id": PATIENT_ID, "appointment_type_code": "specialist-consult",
                    "service_date": "2026-03-10"}
ESTIMATE = {
    "id": ESTIMATE_ID,
    "patient_id": PATIENT_ID,
    "coverage_id": COVERAGE_ID,
    "service_code": "99244",
    "appointment_type_code": "specialist-consult",
    "category": "specialist",
    "service_date": "2026-03-10",
    "basis": "with-coverage",
    "price": usd("320.00"),
    "patient_pays": usd("30.00"),
    "plan_pays": usd("290.00"),
    "patient_share": {"copay": usd("30.00"), "deductible": usd("0.00"), "coinsurance": usd("0.00")},
    "explanation": "Your plan charges a $30 copay for specialist visits. Your estimated cost is $30. This is an "
                   "estimate; the final amount depends on how your plan processes the claim.",
    "created_by": BILLING_CLERK,
    "created_at": CREATED_AT,
}

ESTIMATE_SENDING = {"include_family": True}
ESTIMATE_SENT = {"sending_id": "2b4d6f8a-1c3e-4a5b-9d7f-0e2c4a6b8d1f", "estimate_id": ESTIMATE_ID,
                 "patient_id": PATIENT_ID, "include_family": True, "sent_at": CHANGED_AT}

NEW_CLAIM = {"charge_id": CHARGE_ID, "coverage_id": COVERAGE_ID}
CLAIM = {
    "id": CLAIM_ID,
    "patient_id": PATIENT_ID,
    "coverage_id": COVERAGE_ID,
    "appointment_id": APPOINTMENT_ID,
    "prior_auth_id": None,
    "service_date": "2026-03-10",
    "service_codes": ["99214"],
    "status": "draft",
    "submission_kind": "original",
    "billed": usd("185.00"),
    "paid": None,
    "patient_responsibility": None,
    "patient_share": None,
    "reasons": [],
    "payer_claim_id": None,
    "submission_attempts": 0,
    "last_error": None,
    "next_action_at": "2026-03-02T15:00:00+00:00",
    "submitted_at": None,
    "decided_at": None,
    "appeal_count": 0,
    "history": [{"from_status": None, "to_status": "draft", "reason_codes": [], "actor": BILLING_CLERK,
                 "at": CREATED_AT}],
    "version": 1,
    "created_at": CREATED_AT,
    "updated_at": CREATED_AT,
}

NEW_PRIOR_AUTH = {"patient_id": PATIENT_ID, "service_code": "72148", "units": 1, "coverage_id": COVERAGE_ID}
PRIOR_AUTH = {
    "id": PRIOR_AUTH_ID,
    "patient_id": PATIENT_ID,
    "coverage_id": COVERAGE_ID,
    "payer_id": "acme-health",
    "plan_id": "ACME-PPO-2026",
    "service_code": "72148",
    "appointment_id": None,
    "status": "requested",
    "requested_units": 1,
    "authorized_units": None,
    "units_used": 0,
    "units_reserved": 0,
    "expires_on": None,
    "payer_reference": "SIM-PA-7A9C1E3B5D2F4C4E",
    "reasons": [],
    "allocations": [],
    "submitted_at": CREATED_AT,
    "submission_attempts": 1,
    "last_error": None,
    "next_action_at": "2026-03-02T14:30:00+00:00",
    "decided_at": None,
    "opened_by": BILLING_CLERK,
    "version": 2,
    "created_at": CREATED_AT,
    "updated_at": CREATED_AT,
}

NEW_ISSUE = {"patient_id": PATIENT_ID, "category": "disputed-charge", "source": "family",
             "summary": "Son asks why the March visit was billed twice", "claim_id": CLAIM_ID,
             "note": "Called back and left a message"}
ISSUE = {
    "id": ISSUE_ID,
    "patient_id": PATIENT_ID,
    "category": "disputed-charge",
    "status": "open",
    "source": "family",
    "summary": "Son asks why the March visit was billed twice",
    "claim_id": CLAIM_ID,
    "charge_id": None,
    "assignee_id": None,
    "opened_by": BILLING_CLERK,
    "opened_at": CREATED_AT,
    "resolution": None,
    "resolved_by": None,
    "resolved_at": None,
    "notes": [{"id": NOTE_ID, "author": BILLING_CLERK, "body": "Called back and left a message",
               "created_at": CREATED_AT}],
    "version": 1,
    "updated_at": CREATED_AT,
}
ISSUE_UPDATE = {"status": "resolved", "resolution": "explained",
                "note": "The second line was a duplicate the payer refused"}
RESOLVED_ISSUE = {**ISSUE, "status": "resolved", "resolution": "explained", "resolved_by": BILLING_CLERK,
                  "resolved_at": CHANGED_AT, "version": 2, "updated_at": CHANGED_AT,
                  "notes": [*ISSUE["notes"], {"id": "4b6d8f1a-3c5e-4a7b-9d2f-b4d6f8a1c3e5", "author": BILLING_CLERK,
                                              "body": "The second line was a duplicate the payer refused",
                                              "created_at": CHANGED_AT}]}
NEW_NOTE = {"note": "Payer confirmed the duplicate was refused"}
NOTE = {"id": NOTE_ID, "author": BILLING_CLERK, "body": "Payer confirmed the duplicate was refused",
        "created_at": CHANGED_AT}

SUBMIT_OVERRIDE = {"override_reason": "The payer confirmed by phone that the authorization is granted (ref. 4471)."}

SUBMITTED_CLAIM = {
    **CLAIM, "status": "submitted", "payer_claim_id": "SIM-C-5C1A1D0B2E3F4A5B", "submission_attempts": 1,
    "next_action_at": "2026-03-02T14:30:00+00:00", "submitted_at": "2026-03-02T14:00:00+00:00",
    "history": [*CLAIM["history"], {"from_status": "draft", "to_status": "submitted", "reason_codes": [],
                                    "actor": BILLING_CLERK, "at": "2026-03-02T14:00:00+00:00"}],
    "version": 2, "updated_at": "2026-03-02T14:00:00+00:00",
}
