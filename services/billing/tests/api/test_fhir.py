"""/fhir/R4: coverage, claims, prior authorizations (Claim with use =
preauthorization) and the payer's answers (ClaimResponse), each validated
against the FHIR R4B models (`fhir.resources`)."""
import uuid

import pytest

from support import appointment_event
from carebridge.testing import deliver, put_on_care_team
from carebridge.testing.fhir import (assert_outcome, bundle_resources, check_fhir_access, fhir_json,
                                     fhir_patient_scoped_operations)
from carebridge_billing.jobs.payer_status import PAYER_STATUS
from carebridge_billing.jobs.payer_submissions import PAYER_SUBMISSIONS

CARC = "https://x12.org/codes/claim-adjustment-reason-codes"
CPT = "http://www.ama-assn.org/go/cpt"


@pytest.fixture
def billed(client, auth, runtime, make_coverage, patient_id, payer, clock):
    """A coverage; an MRI whose claim is denied (no authorization, CARC 197);
    a prior authorization denied (CARC 50); a follow-up visit's draft claim."""
    coverage = make_coverage(patient_id, payer_id="bluestone-mutual", plan_id="BSM-BASIC", copays={})
    deliver(runtime, appointment_event("completed", patient_id, "72148"))
    prior_auth = client.post("/prior-authorizations", json={"patient_id": str(patient_id), "service_code": "72148"},
                             headers=auth("billing")).get_json()
    clock.advance(hours=1)
    PAYER_SUBMISSIONS.run(runtime)
    clock.advance(days=1)
    PAYER_STATUS.run(runtime)
    deliver(runtime, appointment_event("completed", patient_id, "99214"))
    claims = client.get(f"/claims?patient_id={patient_id}", headers=auth("billing")).get_json()["items"]
    denied = next(c for c in claims if c["status"] == "denied")
    draft = next(c for c in claims if c["status"] == "draft")
    prior_auth = client.get(f"/prior-authorizations/{prior_auth['id']}", headers=auth("billing")).get_json()
    assert prior_auth["status"] == "denied"
    return {"coverage": coverage, "denied": denied, "draft": draft, "prior_auth": prior_auth,
            "ids": {"Coverage": coverage["id"], "Claim": denied["id"], "ClaimResponse": denied["id"]}}


def search(client, headers, resource_type, **params):
    return fhir_json(client.get(f"/fhir/R4/{resource_type}", query_string=params, headers=headers))


def test_coverage_reads_as_valid_fhir(client, auth, patient_id, billed):
    coverage = fhir_json(client.get(f"/fhir/R4/Coverage/{billed['coverage']['id']}", headers=auth("billing")))
    assert coverage["status"] == "active" and coverage["order"] == 1
    assert coverage["beneficiary"] == {"reference": f"Patient/{patient_id}"}
    assert coverage["payor"][0]["identifier"] == {"system": "urn:carebridge:payer", "value": "bluestone-mutual"}
    assert {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "plan"}]},
            "value": "BSM-BASIC"} in coverage["class"]
    found = search(client, auth("billing"), "Coverage", patient=f"Patient/{patient_id}", status="active")
    assert bundle_resources(found) == [coverage]


def test_claims_and_prior_authorizations_are_claims_with_their_use(client, auth, patient_id, billed):
    patient = f"Patient/{patient_id}"
    claims = search(client, auth("billing"), "Claim", patient=patient)
    assert claims["total"] == 3
    by_id = {r["id"]: r for r in bundle_resources(claims)}
    denied, draft = by_id[billed["denied"]["id"]], by_id[billed["draft"]["id"]]
    prior_auth = by_id[billed["prior_auth"]["id"]]
    assert (denied["use"], denied["status"], draft["status"]) == ("claim", "active", "draft")
    assert denied["item"][0]["productOrService"]["coding"] == [{"system": CPT, "code": "72148"}]
    assert denied["insurance"][0]["coverage"] == {"reference": f"Coverage/{billed['coverage']['id']}"}
    assert (prior_auth["use"], prior_auth["item"][0]["productOrService"]["coding"][0]["code"]) == (
        "preauthorization", "72148")
    only = search(client, auth("billing"), "Claim", patient=patient, use="preauthorization")
    assert [r["id"] for r in bundle_resources(only)] == [billed["prior_auth"]["id"]]
    assert search(client, auth("billing"), "Claim", patient=patient, status="draft")["total"] == 1
    paged = search(client, auth("billing"), "Claim", patient=patient, _count=2)
    following = {link["relation"]: link["url"] for link in paged["link"]}["next"]
    rest = fhir_json(client.get(following.removeprefix("http://localhost"), headers=auth("billing")))
    assert {r["id"] for r in bundle_resources(paged) + bundle_resources(rest)} == set(by_id)


def test_the_payers_denials_are_claim_responses_with_carc_reasons(client, auth, patient_id, billed):
    answers = search(client, auth("billing"), "ClaimResponse", patient=f"Patient/{patient_id}")
    by_request = {r["request"]["reference"]: r for r in bundle_resources(answers)}
    assert set(by_request) == {f"Claim/{billed['denied']['id']}", f"Claim/{billed['prior_auth']['id']}"}
    claim = by_request[f"Claim/{billed['denied']['id']}"]
    assert (claim["use"], claim["outcome"], claim["disposition"]) == ("claim", "complete", "denied")
    reasons = [a["reason"]["coding"][0] for a in claim["item"][0]["adjudication"] if "reason" in a]
    assert reasons == [{"system": CARC, "code": "197"}]
    prior_auth = by_request[f"Claim/{billed['prior_auth']['id']}"]
    assert prior_auth["use"] == "preauthorization"
    assert [a["reason"]["coding"][0]["code"] for a in prior_auth["item"][0]["adjudication"]] == ["50"]
    # A draft has no answer yet.
    assert_outcome(client.get(f"/fhir/R4/ClaimResponse/{billed['draft']['id']}", headers=auth("billing")), 404)


def test_billing_data_is_for_billing_staff_with_every_access_audited(client, runtime, auth, patient_id, billed):
    spec = client.get("/openapi.json").get_json()
    urls = check_fhir_access(client, runtime, spec, patient_id=str(patient_id), ids=billed["ids"],
                             insider=auth("billing"), outsider=auth("nurse", sub=uuid.uuid4()))
    assert len(urls) == 6 == len(fhir_patient_scoped_operations(spec))
    # The care team sees cost information, not billing data proper (as /coverages/{id}).
    member = uuid.uuid4()
    put_on_care_team(runtime, patient_id, member)
    assert_outcome(client.get(f"/fhir/R4/Coverage/{billed['coverage']['id']}",
                              headers=auth("nurse", sub=member)), 403)
    capability = fhir_json(client.get("/fhir/R4/metadata", headers=auth("billing")))
    assert {r["type"] for r in capability["rest"][0]["resource"]} == {"Coverage", "Claim", "ClaimResponse"}
