"""FHIR R4 on the real stack: every service's `/fhir/R4` serves its
CapabilityStatement, and every resource type it searches by patient
answers for a patient with one of everything (security/world.py), in
searchset Bundles whose every resource validates against the FHIR R4B
models (`fhir.resources`); errors are OperationOutcomes. Then `carebridge
fhir export` gathers the patient's whole record into one collection Bundle,
and every reference inside it resolves to one of its entries."""
from __future__ import annotations

import json
import uuid

import pytest
import requests

from carebridge_client.fhir import references
from carebridge.testing.fhir import FHIR_JSON, validate_fhir
from security.world import build
from support.api import token
from support.stack import SERVICES

# What the world of security/world.py holds of each patient-scoped type.
EXPECTED = {
    "patients": {"Patient", "RelatedPerson", "Consent", "CareTeam", "AllergyIntolerance"},
    "careplans": {"CarePlan", "Goal", "MedicationRequest", "Task", "DetectedIssue"},
    "scheduling": {"Appointment"},
    "billing": {"Coverage", "Claim", "ClaimResponse"},
    "notifications": {"Communication"},
    "monitoring": {"Observation", "Flag"},
}


@pytest.fixture(scope="module")
def secured(stack):
    return build(stack)


def fhir_get(stack, service: str, path: str, **params) -> requests.Response:
    return requests.get(f"{stack.url(service)}/fhir/R4{path}", params=params, timeout=30,
                        headers={"Authorization": f"Bearer {token('coordinator', uuid.uuid4())}",
                                 "Accept": FHIR_JSON})


def valid(response: requests.Response, status: int = 200) -> dict:
    assert response.status_code == status, (response.url, response.status_code, response.text[:500])
    assert response.headers["Content-Type"].startswith(FHIR_JSON), response.headers["Content-Type"]
    body = response.json()
    validate_fhir(body)
    return body


@pytest.mark.parametrize("service", [s for s in SERVICES if s in EXPECTED])
def test_every_patient_scoped_type_answers_valid_fhir_for_the_patient(stack, secured, service):
    capability = valid(fhir_get(stack, service, "/metadata"))
    served = {r["type"]: {p["name"] for p in r["searchParam"]} for r in capability["rest"][0]["resource"]}
    by_patient = {name for name, params in served.items() if params & {"patient", "_id"}}
    assert by_patient == EXPECTED[service]
    for resource_type in sorted(by_patient):
        param = "_id" if resource_type == "Patient" else "patient"
        bundle = valid(fhir_get(stack, service, f"/{resource_type}", **{param: f"Patient/{secured.patient.id}"}))
        assert bundle["type"] == "searchset" and bundle["total"] >= 1, (resource_type, bundle)
        for entry in bundle["entry"]:
            resource = entry["resource"]
            assert resource["resourceType"] == resource_type
            assert entry["fullUrl"] == f"{stack.url(service)}/fhir/R4/{resource_type}/{resource['id']}"
            again = valid(fhir_get(stack, service, f"/{resource_type}/{resource['id']}"))
            for _ in range(5):
                if again == resource or (again.get("meta", {}).get("lastUpdated", "")
                                         <= resource.get("meta", {}).get("lastUpdated", "")):
                    break
                # The resource changed between the search and the read (the
                # worker sent a notification's email, say): search and read
                # again until the two agree.
                search = valid(fhir_get(stack, service, f"/{resource_type}", **{param: f"Patient/{secured.patient.id}"}))
                resource = next(e["resource"] for e in search["entry"] if e["resource"]["id"] == resource["id"])
                again = valid(fhir_get(stack, service, f"/{resource_type}/{resource['id']}"))
            assert again == resource
    missing = valid(fhir_get(stack, service, f"/{sorted(by_patient)[0]}/{uuid.uuid4()}"), 404)
    assert missing["resourceType"] == "OperationOutcome" and missing["issue"][0]["code"] == "not-found"
    unauthenticated = requests.get(f"{stack.url(service)}/fhir/R4/metadata", timeout=30)
    assert valid(unauthenticated, 401)["issue"][0]["code"] == "login"


def test_a_care_plan_keeps_its_versions(stack, secured):
    plan = secured.plan
    current = valid(fhir_get(stack, "careplans", f"/CarePlan/{plan['id']}"))
    first = valid(fhir_get(stack, "careplans", f"/CarePlan/{plan['id']}/_history/1"))
    assert int(current["meta"]["versionId"]) >= 2 and first["meta"]["versionId"] == "1"
    assert (first["status"], current["status"]) == ("draft", "active")


def test_monitoring_serves_vital_signs_and_alerts(stack, secured):
    patient = f"Patient/{secured.patient.id}"
    observations = valid(fhir_get(stack, "monitoring", "/Observation", patient=patient, category="vital-signs"))
    assert observations["total"] >= 1
    for resource in (entry["resource"] for entry in observations["entry"]):
        assert resource["status"] == "final" and resource["code"]["coding"][0]["system"] == "http://loinc.org"
        assert resource["meta"]["profile"][0].startswith("http://hl7.org/fhir/StructureDefinition/")
        quantities = [resource["valueQuantity"]] if "valueQuantity" in resource else [
            component["valueQuantity"] for component in resource["component"]]
        assert all(q["system"] == "http://unitsofmeasure.org" for q in quantities)
    flags = valid(fhir_get(stack, "monitoring", "/Flag", patient=patient, status="active"))
    assert flags["total"] >= 1
    assert {entry["resource"]["status"] for entry in flags["entry"]} == {"active"}
    bad = valid(fhir_get(stack, "monitoring", "/Flag", patient=patient, date="last-week"), 422)
    assert bad["resourceType"] == "OperationOutcome"


def test_the_whole_record_exports_as_one_bundle_whose_references_all_resolve(stack, secured, tmp_path):
    out = tmp_path / "record.json"
    done = stack.command("patients", "fhir", "export", secured.patient.id, "--out", str(out),
                         CAREBRIDGE_TOKEN=token("coordinator", uuid.uuid4()), timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    bundle = json.loads(out.read_text())
    validate_fhir(bundle)
    assert bundle["type"] == "collection"
    entries = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
    base = f"{stack.url('patients')}/fhir/R4/"
    assert all(url == f"{base}{r['resourceType']}/{r['id']}" for url, r in entries.items())
    types = {resource["resourceType"] for resource in entries.values()}
    assert set().union(*EXPECTED.values()) | {"Practitioner", "Location"} <= types, types
    patients = [r for r in entries.values() if r["resourceType"] == "Patient"]
    assert [p["id"] for p in patients] == [secured.patient.id]
    # Every reference resolves to an entry of the Bundle (relative to its
    # entries' common base), and each names the patient or what is theirs.
    assert {"Observation", "Flag"} <= types
    walked = 0
    for resource in entries.values():
        for ref in references(resource):
            assert base + ref in entries, f"{resource['resourceType']}/{resource['id']} refers to {ref}"
            walked += 1
    assert walked > len(entries)
    for resource in entries.values():
        subject = [ref for ref in references(resource) if ref.startswith("Patient/")]
        assert set(subject) <= {f"Patient/{secured.patient.id}"}, resource
    assert "exported" in done.stderr and "could not be resolved" not in done.stderr
