"""`cb.fhir`: a patient's whole record as one FHIR Bundle (`export_patient`,
what `carebridge fhir export` prints), many patients' records as NDJSON
files (`export_ndjson`, `carebridge fhir export --ndjson`), and vital-sign
Observations imported into monitoring for an enrolled patient."""
from __future__ import annotations

import io
import json
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from carebridge_client import CareBridge, DevelopmentToken
from carebridge_client._generated.monitoring import Device
from carebridge_client.fhir import Fhir, FhirError, references
from carebridge_client.fhir_export import _Progress, main
from carebridge_client.fhir_import import import_bundle

from synthea_bundle import synthea_bundle

LOINC = "http://loinc.org"


class FakeFhir(Fhir):
    """Two services' FHIR interfaces, in memory."""

    def __init__(self, client, store, types):
        super().__init__(client)
        self.store, self.types, self.reads = store, types, []

    def capabilities(self, service):
        if service not in self.types:
            raise FhirError(f"https://{service}.example/fhir/R4/metadata", 404, None)
        return {"rest": [{"resource": [{"type": name, "searchParam": [{"name": p}] if p else []}
                                       for name, p in self.types[service]]}]}

    def search(self, service, resource_type, params, page_size=100):
        wanted = next(iter(params.values()))
        for ref, resource in self.store[service].items():
            if ref.startswith(resource_type + "/") and (
                    f"Patient/{resource['id']}" == wanted or resource.get("subject", {}).get("reference") == wanted):
                yield resource

    def read(self, service, resource_type, resource_id):
        self.reads.append(f"{resource_type}/{resource_id}")
        found = self.store[service].get(f"{resource_type}/{resource_id}")
        if found is None:
            raise FhirError(f"https://{service}.example/fhir/R4/{resource_type}/{resource_id}", 404, None)
        return found


def _fake(**extra_services) -> FakeFhir:
    urls = {"patients": "https://people.example", "careplans": "https://plans.example",
            **{name: f"https://{name}.example" for name in extra_services}}
    store = {
        "patients": {"Patient/p1": {"resourceType": "Patient", "id": "p1"},
                     "Patient/p2": {"resourceType": "Patient", "id": "p2"},
                     "Practitioner/n1": {"resourceType": "Practitioner", "id": "n1"}},
        "careplans": {"CarePlan/c1": {"resourceType": "CarePlan", "id": "c1", "status": "active", "intent": "plan",
                                      "subject": {"reference": "Patient/p1"},
                                      "author": {"reference": "Practitioner/n1"},
                                      "addresses": [{"reference": "Condition/x"}],
                                      "contributor": [{"reference": "Practitioner/gone"}]},
                      "CarePlan/c2": {"resourceType": "CarePlan", "id": "c2", "status": "active", "intent": "plan",
                                      "subject": {"reference": "Patient/p2"},
                                      "author": {"reference": "Practitioner/n1"}}},
    }
    types = {"patients": [("Patient", "_id"), ("Practitioner", None)], "careplans": [("CarePlan", "patient")]}
    return FakeFhir(CareBridge(urls, DevelopmentToken("coordinator")), store, types)


def test_the_export_gathers_the_patients_resources_and_what_they_refer_to():
    fhir = _fake(monitoring=True)  # monitoring answers 404 here: passed over
    found = fhir.export_record("p1")
    urls = [entry["fullUrl"] for entry in found.bundle["entry"]]
    assert urls == ["https://people.example/fhir/R4/Patient/p1", "https://people.example/fhir/R4/Practitioner/n1",
                    "https://people.example/fhir/R4/CarePlan/c1"]
    assert found.counts == {"Patient": 1, "Practitioner": 1, "CarePlan": 1}
    # Condition: no service serves it; the practitioner who is gone: 404.
    assert found.unresolved == ["Condition/x", "Practitioner/gone"]
    assert fhir.reads == ["Practitioner/gone", "Practitioner/n1"]
    assert references(found.bundle) == ["Patient/p1", "Practitioner/n1", "Condition/x", "Practitioner/gone"]
    assert found.bundle["type"] == "collection"
    assert fhir.export_patient("p2")["entry"][0]["resource"] == {"resourceType": "Patient", "id": "p2"}


def test_a_service_that_is_down_is_not_passed_over_in_silence(tmp_path):
    class Failing(FakeFhir):
        def capabilities(self, service):
            raise FhirError(f"https://{service}.example/fhir/R4/metadata", 503, None)

    fake = _fake()
    failing = Failing(fake._client, fake.store, fake.types)
    with pytest.raises(FhirError):
        failing.export_patient("p1")
    report = failing.export_ndjson(["p1", "p2"], tmp_path)
    assert report.done == [] and [patient for patient, _ in report.failed] == ["p1", "p2"]
    assert "503" in report.failed[0][1]


def test_bulk_ndjson_writes_each_resource_once_per_type(tmp_path):
    fhir = _fake()
    seen = []
    report = fhir.export_ndjson(["p1", "p2", "p1"], tmp_path, progress=lambda patient, error: seen.append(patient))
    assert seen == ["p1", "p2", "p1"] and report.failed == []
    lines = {name: path.read_text().splitlines() for name, path in report.files.items()}
    assert {name: [json.loads(line)["id"] for line in found] for name, found in lines.items()} == {
        "Patient": ["p1", "p2"], "Practitioner": ["n1"], "CarePlan": ["c1", "c2"]}   # n1 is shared: once
    assert sorted(path.name for path in tmp_path.iterdir()) == ["CarePlan.ndjson", "Patient.ndjson",
                                                                 "Practitioner.ndjson"]
    assert report.resources == {"Patient": 2, "Practitioner": 1, "CarePlan": 2}
    assert report.summary().startswith("3 patients exported, 0 failed")


def test_the_progress_bar_shows_on_a_terminal_only():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    quiet = io.StringIO()
    bar = _Progress(2, quiet)
    bar("p1", None)
    bar.close()
    assert quiet.getvalue() == ""
    terminal = Terminal()
    bar = _Progress(2, terminal)
    assert bar.bar is not None
    bar("p1", None)
    bar("p2", "boom")
    assert bar.bar.tasks[0].completed == 2
    bar.close()


# -- against the services ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def coordinator(base_urls):
    return CareBridge(base_urls, DevelopmentToken("coordinator"))


def _observation(code, display, taken, **value):
    return {"fullUrl": f"urn:uuid:{uuid.uuid4()}", "request": {"method": "POST", "url": "Observation"},
            "resource": {"resourceType": "Observation", "id": str(uuid.uuid4()), "status": "final",
                         "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                             "observation-category", "code": "vital-signs"}]}],
                         "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
                         "effectiveDateTime": taken, **value}}


def _quantity(value, unit):
    return {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}


@pytest.fixture(scope="module")
def monitored(coordinator):
    """A Synthea patient imported, enrolled in monitoring, and imported again
    with a blood pressure panel: (patient id, the document, the reports)."""
    document = synthea_bundle(uuid.uuid4().hex[:8])
    subject = next(e["fullUrl"] for e in document["entry"] if e["resource"]["resourceType"] == "Patient")
    taken = (datetime.now(timezone.utc) - timedelta(days=1)).replace(microsecond=0).isoformat()
    panel = _observation("85354-9", "Blood pressure panel", taken, component=[
        {"code": {"coding": [{"system": LOINC, "code": "8480-6"}]}, "valueQuantity": _quantity(128, "mm[Hg]")},
        {"code": {"coding": [{"system": LOINC, "code": "8462-4"}]}, "valueQuantity": _quantity(82, "mm[Hg]")}])
    pulse = _observation("8867-4", "Heart rate", taken, valueQuantity=_quantity(72, "/min"))
    for entry in (panel, pulse):
        entry["resource"]["subject"] = {"reference": subject}
        document["entry"].append(entry)
    first = import_bundle(coordinator, document)
    coordinator.monitoring.enrol_in_monitoring(
        patient_id=first.patient_id, condition="hypertension", measures=["weight", "blood-pressure"],
        device=Device(kind="cellular-scale", serial=f"DEV-{uuid.uuid4().hex[:10]}"), consent_date=date.today())
    second = import_bundle(coordinator, document)
    third = import_bundle(coordinator, document)
    return first.patient_id, document, first, second, third, panel["fullUrl"], pulse["fullUrl"]


def test_vital_signs_go_to_monitoring_when_the_patient_is_enrolled_or_are_skipped_with_why(monitored):
    patient_id, document, first, second, third, panel, pulse = monitored
    weights = [e["fullUrl"] for e in document["entry"] if e["resource"]["resourceType"] == "Observation"
               and e["resource"]["code"]["coding"][0]["code"] == "29463-7"]
    assert weights
    before = {line.ref: line for line in first.lines}
    assert all(before[ref].outcome == "skipped" and "not enrolled" in before[ref].detail for ref in weights + [panel])
    after = {line.ref: line for line in second.lines}
    assert second.errors == []
    assert [after[ref].outcome for ref in weights + [panel]] == ["created"] * (len(weights) + 1)
    assert after[pulse].outcome == "skipped" and "heart-rate" in after[pulse].detail   # not a monitored measure
    systolic_alone = [line for line in second.lines if "systolic or diastolic pressure alone" in line.detail]
    assert systolic_alone   # Synthea's lone 8480-6 observations
    again = {line.ref: line for line in third.lines}
    assert [again[ref].outcome for ref in weights + [panel]] == ["matched"] * (len(weights) + 1)
    assert third.count("created") == 0 and third.errors == []


def test_export_patient_includes_monitoring_as_valid_fhir(monitored, coordinator):
    validate = pytest.importorskip("carebridge.testing.fhir").validate_fhir
    patient_id = monitored[0]
    bundle = coordinator.fhir.export_patient(patient_id)
    validate(bundle)
    by_type = {}
    for entry in bundle["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    assert by_type["Patient"][0]["id"] == patient_id
    panels = [o for o in by_type["Observation"] if o["code"]["coding"][0]["code"] == "85354-9"]
    assert [[c["valueQuantity"]["value"] for c in o["component"]] for o in panels] == [[128, 82]]
    assert {o["subject"]["reference"] for o in by_type["Observation"]} == {f"Patient/{patient_id}"}


def test_the_command_exports_one_patient_and_many_as_ndjson(monitored, coordinator, base_urls, tmp_path, capsys):
    validate = pytest.importorskip("carebridge.testing.fhir").validate_fhir
    patient_id = monitored[0]
    other = import_bundle(coordinator, synthea_bundle(uuid.uuid4().hex[:8])).patient_id
    token = coordinator.token_provider.token(coordinator)
    out = tmp_path / "one.json"
    assert main([patient_id, "--out", str(out), "--token", token], base_urls=base_urls) == 0
    one = json.loads(out.read_text())
    assert one["type"] == "collection" and one["entry"][0]["resource"]["id"] == patient_id
    assert "exported 1 Patient" in capsys.readouterr().err

    ids_file = tmp_path / "ids.txt"
    ids_file.write_text(f"{other}\nnot-a-patient-id\n")
    status = main(["--ndjson", str(tmp_path / "bulk"), patient_id, "--ids-file", str(ids_file), "--token", token],
                  base_urls=base_urls)
    printed = capsys.readouterr()
    assert status == 1      # a patient failed: said, and the others exported
    assert "failed: Patient/not-a-patient-id" in printed.err
    assert "2 patients exported, 1 failed" in printed.err
    assert "\r" not in printed.err      # no progress bar when standard error is not a terminal
    files = sorted(path.name for path in (tmp_path / "bulk").iterdir())
    assert {"Patient.ndjson", "Observation.ndjson", "Coverage.ndjson", "AllergyIntolerance.ndjson"} <= set(files)
    keys = []
    for name in files:
        for line in (tmp_path / "bulk" / name).read_text().splitlines():
            resource = json.loads(line)
            assert f"{resource['resourceType']}.ndjson" == name
            validate(resource)
            keys.append(f"{resource['resourceType']}/{resource['id']}")
    assert len(keys) == len(set(keys))
    patients = [json.loads(line)["id"] for line in (tmp_path / "bulk" / "Patient.ndjson").read_text().splitlines()]
    assert sorted(patients) == sorted([patient_id, other])


def test_carebridge_fhir_export_runs_the_clients_export_with_the_stacks_urls(monitored, coordinator, base_urls,
                                                                              tmp_path, monkeypatch, capsys):
    cli = pytest.importorskip("carebridge.cli")
    for service, url in base_urls.items():
        monkeypatch.setenv(f"{service.upper()}_URL", url)
    monkeypatch.setenv("CAREBRIDGE_TOKEN", coordinator.token_provider.token(coordinator))
    out = tmp_path / "record.json"
    assert cli.main(["fhir", "export", monitored[0], "--out", str(out)]) == 0
    bundle = json.loads(out.read_text())
    assert bundle["entry"][0]["fullUrl"] == f"{base_urls['patients']}/fhir/R4/Patient/{monitored[0]}"
    assert "Observation" in capsys.readouterr().err
