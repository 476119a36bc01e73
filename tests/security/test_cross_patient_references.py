"""Cross-patient references (issue 23): every patient-scoped operation that
takes the id of another record in its request body (found from the
services' OpenAPI documents, as the patient-scoped sweep finds its
operations) is tried, by the right person for the patient, with that id
pointing at a record of another patient. Each is refused with a 422
problem+json that tells nothing of the other patient.

`REFERENCES` says, for each such body field, which record of the other
patient to name (a key of its `SecurityWorld.ids`), or why the field is not
a reference to a patient's record (a person, a payer's code); a field the
documents gain without a line here fails the coverage test.
"""
from __future__ import annotations

import pytest

from support.stack import SERVICES

from .operations import OPERATIONS
from .test_patient_scoped_endpoints import (assert_reveals_nothing, current_etag, fill, request, token_of)
from .world import build

WRITES = ("post", "put", "patch")

# (service, METHOD, path, field) -> the other patient's record to name (a key
# of its ids); or "not a record: ..." (a person, a code); or "the subject:
# ..." (the record the operation is about, which names the patient whose
# access is checked, as the patient-scoped sweep does).
REFERENCES: dict[tuple[str, str, str, str], str] = {
    ("billing", "POST", "/coverages", "member_id"): "not a record: the payer's member number",
    ("billing", "POST", "/coverages", "group_id"): "not a record: the payer's group number",
    ("billing", "POST", "/coverages", "subscriber_member_id"): "not a record: the payer's member number",
    ("billing", "POST", "/coverages", "payer_id"): "not a record: a payer of the reference data",
    ("billing", "POST", "/coverages", "plan_id"): "not a record: the payer's plan code",
    ("billing", "PATCH", "/coverages/{coverage_id}", "member_id"): "not a record: the payer's member number",
    ("billing", "PATCH", "/coverages/{coverage_id}", "group_id"): "not a record: the payer's group number",
    ("billing", "PATCH", "/coverages/{coverage_id}", "subscriber_member_id"):
        "not a record: the payer's member number",
    ("billing", "POST", "/claims", "charge_id"): "the subject: the charge names the patient the claim is for",
    ("billing", "POST", "/claims", "coverage_id"): "coverage_id",
    ("billing", "POST", "/prior-authorizations", "coverage_id"): "coverage_id",
    ("billing", "POST", "/billing-issues", "claim_id"): "claim_id",
    ("billing", "POST", "/billing-issues", "charge_id"): "charge_id",
    ("billing", "POST", "/billing-issues", "assignee_id"): "not a record: a member of the billing staff",
    ("billing", "PATCH", "/billing-issues/{issue_id}", "assignee_id"): "not a record: a member of the billing staff",
    ("careplans", "POST", "/care-plans", "care_team_id"): "team_id",
    ("careplans", "POST", "/care-plans/from-template", "care_team_id"): "team_id",
    ("careplans", "PATCH", "/care-plans/{plan_id}", "care_team_id"): "team_id",
    ("careplans", "POST", "/tasks", "focus_id"): "appointment_id",
    ("careplans", "POST", "/tasks", "plan_id"): "plan_id",
    ("careplans", "POST", "/tasks", "care_team_id"): "team_id",
    ("careplans", "POST", "/tasks", "owner_id"): "not a record: a practitioner (checked against the care team)",
    ("careplans", "PUT", "/tasks/{task_id}/owner", "owner_id"):
        "not a record: a practitioner (checked against the care team)",
    ("careplans", "POST", "/adherence/doses", "activity_id"):
        "the subject: the activity names the patient the dose is for (whose access is checked)",
    ("careplans", "POST", "/check-ins", "plan_id"): "plan_id",
    ("careplans", "POST", "/check-ins", "task_id"): "task_id",
    ("careplans", "POST", "/check-ins", "appointment_id"): "appointment_id",
    ("patients", "POST", "/care-teams", "lead_coordinator_id"): "not a record: a practitioner",
    ("patients", "PATCH", "/care-teams/{team_id}", "lead_coordinator_id"): "not a record: a practitioner",
    ("patients", "POST", "/care-teams/{team_id}/members", "practitioner_id"): "not a record: a practitioner",
    ("scheduling", "POST", "/appointments", "practitioner_id"): "not a record: a practitioner",
    ("scheduling", "POST", "/appointments", "location_id"): "not a record: a location of the reference data",
    ("scheduling", "POST", "/appointments", "care_plan_id"): "plan_id",
    ("scheduling", "POST", "/appointments", "plan_activity_id"): "metoprolol_activity_id",
    ("scheduling", "POST", "/appointments/recurring", "practitioner_id"): "not a record: a practitioner",
    ("scheduling", "POST", "/appointments/recurring", "location_id"):
        "not a record: a location of the reference data",
    ("scheduling", "POST", "/appointments/recurring", "care_plan_id"): "plan_id",
    ("scheduling", "POST", "/appointments/recurring", "plan_activity_id"): "metoprolol_activity_id",
    ("scheduling", "PATCH", "/appointments/{appointment_id}", "practitioner_id"): "not a record: a practitioner",
    ("scheduling", "PATCH", "/appointments/{appointment_id}", "location_id"):
        "not a record: a location of the reference data",
    ("scheduling", "POST", "/waitlist", "practitioner_id"): "not a record: a practitioner",
    ("scheduling", "POST", "/waitlist", "location_id"): "not a record: a location of the reference data",
    ("patients", "POST", "/patients", "facility_location_id"):
        "not a record: a scheduling location of the reference data (a nursing home)",
    ("patients", "PATCH", "/patients/{patient_id}", "facility_location_id"):
        "not a record: a scheduling location of the reference data (a nursing home)",
    ("scheduling", "POST", "/waitlist", "care_plan_id"): "plan_id",
    ("scheduling", "POST", "/waitlist", "plan_activity_id"): "metoprolol_activity_id",
}
CROSS = sorted(key for key, kind in REFERENCES.items() if not kind.startswith(("not a record: ", "the subject: ")))


def _properties(document: dict, schema: dict) -> dict:
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
    found = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found.update(_properties(document, part))
    return found


def documented_references(stack) -> set[tuple[str, str, str, str]]:
    """(service, METHOD, path, field) of every writable `*_id` field (other
    than `patient_id`) of every patient-scoped operation's request body."""
    found = set()
    for service in SERVICES:
        document = stack.client(service).get("/openapi.json").json()
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                if method not in WRITES or not isinstance(operation, dict) or not operation.get("x-patient-scoped"):
                    continue
                schema = (operation.get("requestBody", {}).get("content", {})
                          .get("application/json", {}).get("schema"))
                for name, field in (_properties(document, schema) if schema else {}).items():
                    if name.endswith("_id") and name != "patient_id" and not field.get("readOnly"):
                        found.add((service, method.upper(), path, name))
    return found


@pytest.fixture(scope="module")
def ours(stack):
    return build(stack)


@pytest.fixture(scope="module")
def theirs(stack):
    """Another patient, with one record of every kind."""
    return build(stack)


def test_every_reference_to_another_record_is_swept(stack):
    documented = documented_references(stack)
    assert documented == set(REFERENCES), {"not classified": sorted(documented - set(REFERENCES)),
                                           "no longer documented": sorted(set(REFERENCES) - documented)}
    assert len(CROSS) == 19, CROSS


def body_naming(call_body: dict, field: str, value: str, ours, service: str) -> dict:
    body = {**(call_body or {}), field: value}
    if field == "focus_id":
        body["focus_type"] = "appointment"
    if service == "scheduling" and field == "plan_activity_id":
        body["care_plan_id"] = ours.ids["plan_id"]  # our plan, their activity
    return body


@pytest.mark.parametrize("service,method,path,field", CROSS, ids=lambda v: v)
def test_another_patients_record_cannot_be_named(stack, ours, theirs, service, method, path, field):
    call = OPERATIONS[(service, method, path)](ours)
    call.body = body_naming(call.body, field, theirs.ids[REFERENCES[(service, method, path, field)]], ours, service)
    etag = current_etag(stack, service, ours, call)
    response, _ = request(stack, service, method, fill(path, ours, call), call, token_of(ours, call.caller), etag=etag)
    assert response.status_code == 422, (response.status_code, response.text[:500])
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert field in response.json().get("errors", {}) or "care_plan_id" in response.json().get("errors", {}), \
        response.text[:500]
    assert_reveals_nothing(response, theirs)
