"""Who may touch billing data: every patient-scoped operation refuses a
clinician who is not on the patient's care team (403, audited, revealing
nothing), clinicians on the team may only read cost information, and
nothing but health and metrics answers without a token."""
import uuid

import pytest

from carebridge.testing import assert_problem, audit_trail, patient_scoped_operations, put_on_care_team
from carebridge.testing.fhir import assert_outcome
from carebridge.web.api import PUBLIC_PATHS

BILLING_ONLY_READS = ("/coverages/{coverage_id}", "/charges/{charge_id}", "/claims/{claim_id}",
                      "/prior-authorizations/{prior_auth_id}", "/billing-issues/{issue_id}")


# Every patient-scoped operation, with a request that would otherwise succeed.
PATIENT_SCOPED = {
    ("get", "/coverages/summary"): lambda w: dict(query_string={"patient_id": w["patient_id"]}),
    ("get", "/billing-overview"): lambda w: dict(query_string={"patient_id": w["patient_id"]}),
    ("get", "/coverages/{coverage_id}"): lambda w: {},
    ("patch", "/coverages/{coverage_id}"): lambda w: dict(json={"member_id": "X1"}, etag=True),
    ("post", "/coverages/{coverage_id}/eligibility-checks"): lambda w: dict(json={}),
    ("post", "/estimates"): lambda w: dict(json={"patient_id": w["patient_id"], "service_code": "99214"}),
    ("get", "/estimates/{estimate_id}"): lambda w: {},
    ("post", "/estimates/{estimate_id}/send"): lambda w: dict(json={"include_family": False}),
    ("get", "/charges/{charge_id}"): lambda w: {},
    ("get", "/claims/{claim_id}"): lambda w: {},
    ("post", "/claims/{claim_id}/submit"): lambda w: dict(etag=True),
    ("post", "/claims/{claim_id}/appeal"): lambda w: dict(etag=True),
    ("get", "/prior-authorizations/{prior_auth_id}"): lambda w: {},
    ("post", "/prior-authorizations/{prior_auth_id}/withdraw"): lambda w: dict(etag=True),
    ("get", "/billing-issues/{issue_id}"): lambda w: {},
    ("patch", "/billing-issues/{issue_id}"): lambda w: dict(json={"status": "in-progress"}, etag=True),
    ("post", "/billing-issues/{issue_id}/notes"): lambda w: dict(json={"body": "note"}),
}


# Creating billing records for a patient (the patient named in the body, or
# the charge's): patient-scoped too, but open to billing staff only, so a
# clinician is refused by role before anything about the patient is read.
BILLING_STAFF_CREATES = {
    ("post", "/coverages"): lambda w: dict(json={
        "patient_id": w["patient_id"], "payer_id": "acme-health", "plan_id": "ACME-PPO-2026", "member_id": "ACM-2",
        "order": "secondary", "effective_start": "2026-01-01", "coinsurance_percent": "20", "copays": {},
        "deductible": {"amount": "500.00", "currency": "USD"},
        "out_of_pocket_max": {"amount": "3000.00", "currency": "USD"}}),
    ("post", "/prior-authorizations"): lambda w: dict(json={"patient_id": w["patient_id"], "service_code": "72148"}),
    ("post", "/billing-issues"): lambda w: dict(json={"patient_id": w["patient_id"], "category": "other",
                                                     "summary": "Question about a bill."}),
    ("post", "/claims"): lambda w: dict(json={"charge_id": w["charge_id"]}),
}


def call(client, headers, method, template, world, spec):
    request = spec(world)
    url = template.format(**world)
    if request.pop("etag", False):
        headers = {**headers, "If-Match": '"1"'}
    return getattr(client, method)(url, headers=headers, **request)


def test_the_table_lists_every_patient_scoped_operation(client):
    spec = client.get("/openapi.json").get_json()
    marked = {(method.lower(), path) for method, path in patient_scoped_operations(spec)}
    assert marked == set(PATIENT_SCOPED) | set(BILLING_STAFF_CREATES)


@pytest.mark.parametrize("method, template", sorted(BILLING_STAFF_CREATES))
def test_a_clinician_cannot_create_billing_records_and_learns_nothing(client, auth, runtime, world, method,
                                                                      template):
    before = len(audit_trail(runtime))
    response = call(client, auth("nurse", sub=uuid.uuid4()), method, template, world,
                    BILLING_STAFF_CREATES[(method, template)])
    body = assert_problem(response, 403)
    assert world["patient_id"] not in str(body) and world["charge_id"] not in str(body)
    assert [r["outcome"] for r in audit_trail(runtime)[before:]] in ([], ["denied"])


@pytest.mark.parametrize("method, template", sorted(PATIENT_SCOPED))
def test_a_clinician_off_the_care_team_gets_403_and_an_audited_refusal(client, auth, runtime, world, method,
                                                                       template):
    before = len(audit_trail(runtime))
    response = call(client, auth("nurse", sub=uuid.uuid4()), method, template, world,
                    PATIENT_SCOPED[(method, template)])
    body = assert_problem(response, 403)
    assert world["patient_id"] not in str(body)
    [refusal] = audit_trail(runtime)[before:]
    assert (refusal["outcome"], refusal["patient_id"], refusal["roles"]) == ("denied", world["patient_id"], "nurse")


@pytest.mark.parametrize("template", BILLING_ONLY_READS)
def test_the_care_team_cannot_read_billing_records(client, auth, runtime, world, template):
    physician = uuid.uuid4()
    put_on_care_team(runtime, uuid.UUID(world["patient_id"]), physician, role="physician")
    assert_problem(client.get(template.format(**world), headers=auth("physician", sub=physician)), 403)
    assert audit_trail(runtime)[-1]["outcome"] == "denied"


def test_the_care_team_reads_cost_information(client, auth, runtime, world):
    specialist = uuid.uuid4()
    put_on_care_team(runtime, uuid.UUID(world["patient_id"]), specialist, role="specialist")
    headers = auth("specialist", sub=specialist)
    assert client.get(f"/coverages/summary?patient_id={world['patient_id']}", headers=headers).status_code == 200
    assert client.get(f"/estimates/{world['estimate_id']}", headers=headers).status_code == 200


@pytest.mark.parametrize("path", ["/coverages", "/charges", "/claims", "/prior-authorizations", "/billing-issues"])
def test_billing_lists_are_for_billing_staff(client, auth, path):
    assert_problem(client.get(path, headers=auth("nurse", sub=uuid.uuid4())), 403)
    assert client.get(path, headers=auth("admin")).status_code == 200


@pytest.mark.parametrize("path, body", [
    ("/coverages", {}), ("/claims", {}), ("/prior-authorizations", {}), ("/billing-issues", {})])
def test_clinicians_cannot_create_billing_records(client, auth, path, body):
    assert_problem(client.post(path, json=body, headers=auth("physician", sub=uuid.uuid4())), 403)


def test_every_operation_but_probes_needs_a_token(client, world):
    paths = client.get("/openapi.json").get_json()["paths"]
    public = set(PUBLIC_PATHS)
    checked = 0
    for template, operations in paths.items():
        if template in public:
            continue
        url = template.format(**world, service_code="99214", payer_id="acme-health", resource_id=world["claim_id"])
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                response = getattr(client, method)(url)
                if template.startswith("/fhir/"):
                    assert_outcome(response, 401)
                else:
                    assert_problem(response, 401)
                checked += 1
    assert checked >= 25


def test_reference_data_is_open_to_any_signed_in_staff_role(client, auth):
    for role in ("nurse", "billing", "admin"):
        assert client.get("/fee-schedule", headers=auth(role)).status_code == 200
        assert client.get("/payers/acme-health", headers=auth(role)).status_code == 200
    # No service calls billing's API.
    assert client.get("/fee-schedule", headers=auth("service", sub="scheduling")).status_code == 403
