"""`carebridge fhir import` against the embedded stack: a Synthea-shaped
transaction Bundle imports with nothing refused, a second import adds
nothing, and the patient's record exported again as FHIR gives back the
patient, allergies, medications and coverage the Bundle held."""
from __future__ import annotations

import json
import uuid

import pytest

from carebridge_client import CareBridge, DevelopmentToken
from carebridge_client.fhir_import import Bundle, BundleError, import_bundle, main

from synthea_bundle import ALLERGIES, MEDICATIONS, synthea_bundle


@pytest.fixture(scope="module")
def coordinator(base_urls):
    return CareBridge(base_urls, DevelopmentToken("coordinator"))


def _exported(base_urls, coordinator, patient_id) -> dict[str, list[dict]]:
    found = coordinator.fhir.export_record(patient_id)
    by_type: dict[str, list[dict]] = {"Bundle": [found.bundle]}
    for entry in found.bundle["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return by_type


def test_a_synthea_bundle_imports_once_and_exports_equal(base_urls, coordinator, tmp_path, capsys):
    tag = uuid.uuid4().hex[:8]
    document = synthea_bundle(tag)
    path = tmp_path / "synthea.json"
    path.write_text(json.dumps(document))
    token = coordinator.token_provider.token(coordinator)

    assert main([str(path), "--token", token], base_urls=base_urls) == 0
    printed = capsys.readouterr()
    lines = printed.out.splitlines()
    assert len(lines) == len(document["entry"])          # one line per resource of the Bundle
    outcomes = [line.split()[0] for line in lines]
    assert "refused" not in outcomes, printed.out
    # patient, practitioner, 2 allergies, 3 active medications, 2 active conditions, coverage
    assert outcomes.count("created") == 10, printed.out
    assert outcomes.count("skipped") == len(lines) - 10   # encounters, observations, care plan, stopped drug...
    assert any("status stopped" in line for line in lines)
    assert "Quiñones" not in printed.out + printed.err    # no names in the report

    again = import_bundle(coordinator, document)
    assert again.errors == []
    assert again.count("created") == 0
    assert again.count("matched") == 10
    patient_id = again.patient_id

    exported = _exported(base_urls, coordinator, patient_id)
    [patient] = exported["Patient"]
    assert any(i["value"] == f"SYN-{tag}" for i in patient["identifier"])
    assert patient["birthDate"] == "1948-03-17" and patient["gender"] == "female"
    assert patient["name"][0]["family"] == f"Quiñones{tag}"
    assert patient["name"][0]["given"][:2] == ["Adélaïde852", "Zoë"]

    allergies = {(c["system"], c["code"]) for a in exported["AllergyIntolerance"] for c in a["code"]["coding"]}
    assert {(system, code) for system, code, *_ in ALLERGIES} <= allergies
    assert len(exported["AllergyIntolerance"]) == len(ALLERGIES)
    for system, code, _, category, criticality in ALLERGIES:
        [allergy] = [a for a in exported["AllergyIntolerance"] if a["code"]["coding"][0]["code"] == code]
        assert allergy["criticality"] == criticality and allergy["category"] == [category]
        assert allergy["clinicalStatus"]["coding"][0]["code"] == "active"
        assert allergy["verificationStatus"]["coding"][0]["code"] == "confirmed"

    active = {code for code, _, _, status in MEDICATIONS if status == "active"}
    requests = exported["MedicationRequest"]
    codes = {c["code"] for r in requests for c in r["medicationCodeableConcept"]["coding"]
             if c["system"] == "http://www.nlm.nih.gov/research/umls/rxnorm"}
    assert codes == active and len(requests) == len(active)
    frequency = {code: ["once-daily", "twice-daily"][per_day - 1] for code, _, per_day, _ in MEDICATIONS}
    [prescriber] = exported["Practitioner"]
    assert prescriber["identifier"][0]["value"] == npi_of_bundle(document)
    for request in requests:
        code = request["medicationCodeableConcept"]["coding"][0]["code"]
        assert request["dosageInstruction"][0]["timing"]["code"]["text"] == frequency[code]
        assert request["dosageInstruction"][0]["route"]["text"] == "oral"
        assert request["requester"]["reference"] == f"Practitioner/{prescriber['id']}"
    [plan] = exported["CarePlan"]
    assert plan["status"] == "draft"

    [coverage] = exported["Coverage"]
    assert coverage["subscriberId"] == f"1EG4-{tag}"
    assert coverage["payor"][0]["identifier"]["value"] == "medicare"
    assert [c["value"] for c in coverage["class"]] == ["MEDICARE-B"]
    assert coverage["period"]["start"] == "2024-01-01"
    costs = {(c["type"].get("coding") or [{}])[0].get("code") or c["type"]["text"]:
             (c.get("valueMoney") or c.get("valueQuantity"))["value"] for c in coverage["costToBeneficiary"]}
    assert costs == {"copay": 40.0, "deductible": 1500.0, "maxoutofpocket": 6000.0, "coinsurance": 20.0}
    [copay] = [c for c in coverage["costToBeneficiary"] if c["type"].get("text") == "specialist"]
    assert copay["valueMoney"] == {"value": 40.0, "currency": "USD"}

    # CareBridge's own export imports as the same records: nothing new, nothing refused.
    [exported_bundle] = exported["Bundle"]
    back = import_bundle(coordinator, exported_bundle)
    assert back.errors == [] and back.count("created") == 0 and back.patient_id == patient_id
    assert back.count("matched") == 1 + 1 + len(ALLERGIES) + 1    # patient, practitioner, allergies, coverage
    # the draft plan's own medication requests are drafts, not active medications
    assert sum("status draft" in line.detail for line in back.lines) == len(active)


def npi_of_bundle(document: dict) -> str:
    [practitioner] = [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == "Practitioner"]
    return practitioner["identifier"][0]["value"]


def test_a_collection_bundle_and_what_cannot_be_imported(base_urls, coordinator):
    tag = uuid.uuid4().hex[:8]
    document = synthea_bundle(tag, bundle_type="collection")
    coverage = next(e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == "Coverage")
    coverage.pop("costToBeneficiary")
    request = next(e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
    request["dosageInstruction"][0]["timing"]["repeat"] = {"frequency": 5, "period": 1, "periodUnit": "d"}
    report = import_bundle(coordinator, document)
    refused = {line.ref: line.detail for line in report.errors}
    assert set(refused) == {f"urn:uuid:{coverage['id']}", f"urn:uuid:{request['id']}"}
    assert "deductible" in refused[f"urn:uuid:{coverage['id']}"]
    assert "frequency" in refused[f"urn:uuid:{request['id']}"]
    assert report.count("created") == 8 and report.stopped is None


def test_what_is_not_a_bundle_is_refused_before_anything_is_done():
    with pytest.raises(BundleError):
        Bundle({"resourceType": "Patient"})
    with pytest.raises(BundleError):
        Bundle({"resourceType": "Bundle", "type": "document", "entry": []})


def test_a_patient_without_an_mrn_is_refused_and_nothing_else_is_imported(base_urls, coordinator):
    document = synthea_bundle(uuid.uuid4().hex[:8])
    patient = document["entry"][0]["resource"]
    patient["identifier"] = [i for i in patient["identifier"] if "type" not in i or
                             i["type"]["coding"][0]["code"] != "MR"]
    report = import_bundle(coordinator, document)
    assert report.patient_id is None and report.count("created") == 0
    assert [line.outcome for line in report.lines] == ["refused"] + ["skipped"] * (len(document["entry"]) - 1)
    assert "MRN" in report.lines[0].detail and report.stopped


def test_carebridge_fhir_import_runs_the_import_with_the_stacks_urls(base_urls, coordinator, tmp_path, monkeypatch,
                                                                      capsys):
    cli = pytest.importorskip("carebridge.cli")
    for service, url in base_urls.items():
        monkeypatch.setenv(f"{service.upper()}_URL", url)
    monkeypatch.setenv("CAREBRIDGE_TOKEN", coordinator.token_provider.token(coordinator))
    tag = uuid.uuid4().hex[:8]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(synthea_bundle(tag)))
    assert cli.main(["fhir", "import", str(path)]) == 0
    printed = capsys.readouterr()
    assert "10 created, 0 matched" in printed.err and "0 refused" in printed.err
    [patient] = list(coordinator.patients.search(mrn=f"SYN-{tag}"))
    assert printed.err.startswith(f"{path}: patient {patient.id}")


def _medication_request(document: dict, code: str, text: str) -> dict:
    template = next(e for e in document["entry"] if e["resource"]["resourceType"] == "MedicationRequest")
    resource = json.loads(json.dumps(template["resource"]))
    resource["id"] = str(uuid.uuid4())
    resource["medicationCodeableConcept"] = {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                         "code": code, "display": text}], "text": text}
    document["entry"].append({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource,
                              "request": {"method": "POST", "url": "MedicationRequest"}})
    return resource


def test_the_safety_checks_refuse_an_interaction_and_the_rest_is_kept(base_urls, coordinator):
    document = synthea_bundle(uuid.uuid4().hex[:8])
    spironolactone = _medication_request(document, "9997", "spironolactone 25 MG Oral Tablet")
    potassium = _medication_request(document, "8591", "potassium chloride 20 MEQ Oral Tablet")
    report = import_bundle(coordinator, document)
    refused = {line.ref: line.detail for line in report.errors}
    assert set(refused) == {f"urn:uuid:{spironolactone['id']}", f"urn:uuid:{potassium['id']}"}
    assert all("medication safety check refused" in detail for detail in refused.values())
    assert report.count("created") == 10 and report.stopped is None   # the other three medications are on the plan
    plan = coordinator.careplans.list(patient_id=report.patient_id).first()
    codes = {a.medication.rxnorm_code for a in coordinator.careplans.get(plan.id).activities if a.medication}
    assert codes == {code for code, _, _, status in MEDICATIONS if status == "active"}


def test_a_service_lost_half_way_is_reported_with_what_was_done(base_urls, coordinator, tmp_path, capsys):
    from conftest import free_port
    tag = uuid.uuid4().hex[:8]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(synthea_bundle(tag)))
    unreachable = {**base_urls, "billing": f"http://127.0.0.1:{free_port()}"}
    token = coordinator.token_provider.token(coordinator)
    assert main([str(path), "--token", token], base_urls=unreachable) == 1
    printed = capsys.readouterr()
    assert printed.out.count("created") == 9                      # all but the coverage
    assert "stopped: while importing the coverage: ConnectionError" in printed.err
    [patient] = list(coordinator.patients.search(mrn=f"SYN-{tag}"))
    assert f"patient {patient.id}" in printed.err
