"""/fhir/R4: the patients service's records in FHIR R4. Every resource any
answer holds validates against the FHIR R4B models (`fhir.resources`)."""
import uuid

import pytest

from carebridge.testing.fhir import (FHIR_JSON, assert_outcome, bundle_resources, check_fhir_access, fhir_json,
                                     fhir_patient_scoped_operations)
from support import audit_of

TYPES = ("Patient", "RelatedPerson", "Consent", "CareTeam", "AllergyIntolerance")


@pytest.fixture
def record(staff, patient):
    nurse = staff.practitioner("nurse", npi="1234567893")
    team = staff.team(patient["id"], [{"practitioner_id": nurse["id"], "role": "nurse"}], status="active")
    person = staff.related_person(patient["id"], consent={"appointments": True, "care_plan": False,
                                                          "billing": True})
    allergy = staff.allergy(patient["id"])
    return {"patient": patient, "nurse": nurse, "team": team, "person": person, "allergy": allergy,
            "ids": {"Patient": patient["id"], "RelatedPerson": person["id"], "Consent": person["id"],
                    "CareTeam": team["id"], "AllergyIntolerance": allergy["id"]}}


def search(client, headers, resource_type, **params):
    return fhir_json(client.get(f"/fhir/R4/{resource_type}", query_string=params, headers=headers))


def test_every_record_of_the_patient_reads_and_searches_as_valid_fhir(client, coordinator, record):
    patient_id = record["patient"]["id"]
    for resource_type in TYPES:
        read = fhir_json(client.get(f"/fhir/R4/{resource_type}/{record['ids'][resource_type]}", headers=coordinator))
        assert (read["resourceType"], read["id"]) == (resource_type, record["ids"][resource_type])
        param = "_id" if resource_type == "Patient" else "patient"
        bundle = search(client, coordinator, resource_type, **{param: f"Patient/{patient_id}"})
        assert bundle["type"] == "searchset" and bundle["total"] == 1
        assert bundle_resources(bundle) == [read]
        assert bundle["entry"][0]["fullUrl"].endswith(f"/fhir/R4/{resource_type}/{read['id']}")


def test_the_mappings_use_the_standard_code_systems(client, coordinator, record):
    patient = fhir_json(client.get(f"/fhir/R4/Patient/{record['patient']['id']}", headers=coordinator))
    assert patient["identifier"][0] == {
        "use": "usual", "system": "urn:carebridge:mrn", "value": record["patient"]["mrn"],
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR",
                             "display": "Medical record number"}]}}
    assert patient["name"][0] == {"use": "official", "family": "Muñoz-García", "given": ["José", "Ángel"]}
    assert patient["gender"] == "male" and patient["birthDate"] == "1951-07-14"
    assert patient["meta"]["versionId"] == "1"
    allergy = fhir_json(client.get(f"/fhir/R4/AllergyIntolerance/{record['allergy']['id']}", headers=coordinator))
    assert allergy["code"]["coding"] == [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "7980",
                                          "display": "Penicillin G"}]
    assert allergy["patient"] == {"reference": f"Patient/{record['patient']['id']}"}
    assert allergy["clinicalStatus"]["coding"][0]["code"] == "active"
    assert allergy["criticality"] == "high" and allergy["reaction"][0]["severity"] == "severe"
    team = fhir_json(client.get(f"/fhir/R4/CareTeam/{record['team']['id']}", headers=coordinator))
    assert team["participant"][0]["member"] == {"reference": f"Practitioner/{record['nurse']['id']}"}
    assert team["participant"][0]["role"][0]["coding"][0] == {"system": "http://snomed.info/sct",
                                                             "code": "106292003", "display": "Professional nurse"}
    person = fhir_json(client.get(f"/fhir/R4/RelatedPerson/{record['person']['id']}", headers=coordinator))
    assert person["relationship"][0]["coding"][0]["code"] == "DAU"
    consent = fhir_json(client.get(f"/fhir/R4/Consent/{record['person']['id']}", headers=coordinator))
    assert consent["status"] == "active" and consent["provision"]["type"] == "permit"
    assert [p["code"][0]["coding"][0]["code"] for p in consent["provision"]["provision"]] == [
        "appointments", "billing"]
    practitioner = fhir_json(client.get(f"/fhir/R4/Practitioner/{record['nurse']['id']}", headers=coordinator))
    assert practitioner["identifier"] == [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}]
    role = fhir_json(client.get(f"/fhir/R4/PractitionerRole/{record['nurse']['id']}", headers=coordinator))
    assert role["practitioner"] == {"reference": f"Practitioner/{record['nurse']['id']}"}


def test_a_withdrawn_consent_is_inactive_and_searchable_by_status(client, staff, coordinator, record):
    person = record["person"]
    response = client.post(f"/patients/{record['patient']['id']}/related-persons/{person['id']}/consent-withdrawal",
                           headers=coordinator)
    assert response.status_code == 200, response.get_data(as_text=True)
    consent = fhir_json(client.get(f"/fhir/R4/Consent/{person['id']}", headers=coordinator))
    assert consent["status"] == "inactive" and consent["provision"]["type"] == "deny"
    patient = f"Patient/{record['patient']['id']}"
    assert search(client, coordinator, "Consent", patient=patient, status="inactive")["total"] == 1
    assert search(client, coordinator, "Consent", patient=patient, status="active")["total"] == 0


def test_search_pages_with_links_and_filters_by_last_updated_and_status(client, staff, coordinator, patient, clock):
    for code in ("7980", "733", "2670", "36567"):
        staff.allergy(patient["id"], substance_code=code, substance_name=f"drug {code}")
        clock.advance(days=1)
    patient_ref = f"Patient/{patient['id']}"
    first = search(client, coordinator, "AllergyIntolerance", patient=patient_ref, _count=3)
    assert first["total"] == 4 and len(first["entry"]) == 3
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert set(links) == {"self", "first", "next", "last"}
    second = fhir_json(client.get(links["next"].removeprefix("http://localhost"), headers=coordinator))
    assert len(second["entry"]) == 1 and {link["relation"] for link in second["link"]} == {
        "self", "first", "previous", "last"}
    seen = [r["id"] for r in bundle_resources(first) + bundle_resources(second)]
    assert len(set(seen)) == 4
    # Newest change first; _lastUpdated takes FHIR's prefixes.
    assert [r["code"]["coding"][0]["code"] for r in bundle_resources(first)] == ["36567", "2670", "733"]
    recent = search(client, coordinator, "AllergyIntolerance", patient=patient_ref, _lastUpdated="ge2026-03-04")
    assert sorted(r["code"]["coding"][0]["code"] for r in bundle_resources(recent)) == ["2670", "36567"]
    window = client.get("/fhir/R4/AllergyIntolerance", headers=coordinator, query_string=[
        ("patient", patient_ref), ("date", "gt2026-03-02"), ("date", "lt2026-03-05")])
    assert [r["code"]["coding"][0]["code"] for r in bundle_resources(fhir_json(window))] == ["2670", "733"]
    assert search(client, coordinator, "AllergyIntolerance", patient=patient_ref,
                  **{"clinical-status": "inactive,resolved"})["total"] == 0
    assert search(client, coordinator, "AllergyIntolerance", patient=patient_ref,
                  **{"clinical-status": "active"})["total"] == 4


def test_errors_are_operation_outcomes(client, coordinator, patient):
    assert_outcome(client.get(f"/fhir/R4/Patient/{uuid.uuid4()}", headers=coordinator), 404)
    assert_outcome(client.get("/fhir/R4/AllergyIntolerance", headers=coordinator), 422)
    bad_date = assert_outcome(client.get("/fhir/R4/AllergyIntolerance", headers=coordinator, query_string={
        "patient": f"Patient/{patient['id']}", "date": "yesterday"}), 422)
    assert bad_date["issue"][0]["code"] == "invalid"
    assert_outcome(client.get("/fhir/R4/AllergyIntolerance", headers=coordinator, query_string={
        "patient": "Practitioner/whoever"}), 422)
    assert_outcome(client.get(f"/fhir/R4/Patient/{patient['id']}", headers={**coordinator, "Accept": "text/html"}),
                   406)
    assert client.get(f"/fhir/R4/Patient/{patient['id']}", headers={
        **coordinator, "Accept": "application/fhir+json"}).headers["Content-Type"].startswith(FHIR_JSON)
    # The service's own API still answers problem+json.
    assert client.get(f"/patients/{uuid.uuid4()}", headers=coordinator).content_type == "application/problem+json"


def test_care_team_rules_and_audit_apply_to_every_patient_scoped_fhir_operation(client, runtime, staff, record,
                                                                                outsider):
    spec = client.get("/openapi.json").get_json()
    urls = check_fhir_access(client, runtime, spec, patient_id=record["patient"]["id"], ids=record["ids"],
                             insider=staff.headers_of(record["nurse"]), outsider=outsider)
    assert len(urls) == 2 * len(TYPES) == len(fhir_patient_scoped_operations(spec))


def test_billing_reads_demographics_but_not_allergies(client, auth, runtime, record):
    billing = auth("billing")
    for resource_type in ("Patient", "RelatedPerson", "Consent", "CareTeam"):
        fhir_json(client.get(f"/fhir/R4/{resource_type}/{record['ids'][resource_type]}", headers=billing))
    assert_outcome(client.get(f"/fhir/R4/AllergyIntolerance/{record['allergy']['id']}", headers=billing), 403)
    assert_outcome(client.get("/fhir/R4/AllergyIntolerance", headers=billing,
                              query_string={"patient": record["patient"]["id"]}), 403)


def test_the_directory_and_the_capability_statement(client, auth, record):
    billing = auth("billing")
    bundle = search(client, billing, "PractitionerRole", role="nurse")
    assert record["nurse"]["id"] in [r["id"] for r in bundle_resources(bundle)]
    by_npi = search(client, billing, "Practitioner", identifier="http://hl7.org/fhir/sid/us-npi|1234567893")
    assert [r["id"] for r in bundle_resources(by_npi)] == [record["nurse"]["id"]]
    capability = fhir_json(client.get("/fhir/R4/metadata", headers=billing))
    served = {r["type"]: r for r in capability["rest"][0]["resource"]}
    assert set(served) == {*TYPES, "Practitioner", "PractitionerRole"}
    assert {p["name"] for p in served["AllergyIntolerance"]["searchParam"]} == {
        "patient", "_lastUpdated", "clinical-status", "date"}
    assert_outcome(client.get("/fhir/R4/metadata"), 401)
