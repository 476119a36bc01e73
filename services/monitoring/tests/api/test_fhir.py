"""/fhir/R4: readings as vital-signs Observations (LOINC, UCUM; blood
pressure as a panel) and alerts as Flags, each validated against the FHIR
R4B models (`fhir.resources`), on the care-team rules and audit of the
service's own API."""
import uuid
from datetime import datetime, timedelta, timezone

from carebridge.testing.fhir import (assert_outcome, bundle_resources, check_fhir_access, fhir_json,
                                     fhir_patient_scoped_operations)

import support
from support import enrol, reading, send_batch

UTC = timezone.utc
NOW = datetime(2026, 3, 2, 14, tzinfo=UTC)


def _history(client, coordinator, gateway, patient_id):
    serial = enrol(client, coordinator, patient_id, measures=("weight", "blood-pressure", "spo2"))["device"]["serial"]
    send_batch(client, gateway, [
        reading("weight", 180, NOW - timedelta(days=2), unit="[lb_av]", serial=serial),
        reading("blood-pressure", 132, NOW - timedelta(days=1), diastolic=84, serial=serial),
        reading("spo2", 85, NOW - timedelta(hours=1), serial=serial),
    ])


def _search(client, headers, resource_type, patient_id, **params):
    return fhir_json(client.get(f"/fhir/R4/{resource_type}", headers=headers,
                                query_string={"patient": f"Patient/{patient_id}", **params}))


def test_readings_are_vital_sign_observations_with_loinc_codes_and_ucum_units(client, coordinator, gateway,
                                                                              patient_id):
    _history(client, coordinator, gateway, patient_id)
    bundle = _search(client, coordinator, "Observation", patient_id)
    assert bundle["total"] == 3
    by_code = {r["code"]["coding"][0]["code"]: r for r in bundle_resources(bundle)}
    assert set(by_code) == {"29463-7", "85354-9", "59408-5"}
    weight = by_code["29463-7"]
    assert weight["valueQuantity"] == {"value": 81.65, "unit": "kg", "system": "http://unitsofmeasure.org",
                                       "code": "kg"}
    assert weight["meta"]["profile"] == ["http://hl7.org/fhir/StructureDefinition/bodyweight"]
    assert weight["category"][0]["coding"][0]["code"] == "vital-signs" and weight["status"] == "final"
    assert weight["subject"] == {"reference": f"Patient/{patient_id}"}
    assert weight["effectiveDateTime"].startswith((NOW - timedelta(days=2)).date().isoformat())
    pressure = by_code["85354-9"]
    assert "valueQuantity" not in pressure
    assert [(c["code"]["coding"][0]["code"], c["valueQuantity"]["value"], c["valueQuantity"]["code"])
            for c in pressure["component"]] == [("8480-6", 132, "mm[Hg]"), ("8462-4", 84, "mm[Hg]")]
    assert [c["code"] for c in by_code["59408-5"]["code"]["coding"]] == ["59408-5", "2708-6"]
    again = fhir_json(client.get(f"/fhir/R4/Observation/{pressure['id']}", headers=coordinator))
    assert again == pressure
    only = _search(client, coordinator, "Observation", patient_id, code="8480-6")
    assert [r["id"] for r in bundle_resources(only)] == [pressure["id"]]
    recent = _search(client, coordinator, "Observation", patient_id, date=f"ge{(NOW - timedelta(hours=30)).date()}")
    assert {r["code"]["coding"][0]["code"] for r in bundle_resources(recent)} == {"85354-9", "59408-5"}
    assert _search(client, coordinator, "Observation", patient_id, category="laboratory")["total"] == 0


def test_alerts_are_flags_active_while_open(client, coordinator, gateway, patient_id):
    _history(client, coordinator, gateway, patient_id)
    bundle = _search(client, coordinator, "Flag", patient_id)
    assert bundle["total"] == 1
    flag = bundle_resources(bundle)[0]
    assert flag["status"] == "active" and "end" not in flag["period"]
    assert flag["code"]["coding"][0]["code"] == "spo2-critical-low"
    assert flag["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "PH"
    assert _search(client, coordinator, "Flag", patient_id, status="inactive")["total"] == 0
    alert = client.get(f"/alerts/{flag['id']}", headers=coordinator)
    closed = client.post(f"/alerts/{flag['id']}/actions", headers={**coordinator, "If-Match": alert.headers["ETag"]},
                         json={"action_code": "called-patient", "note": "Advised to rest", "minutes": 5})
    assert closed.status_code in (200, 201), closed.get_json()
    after = fhir_json(client.get(f"/fhir/R4/Flag/{flag['id']}", headers=coordinator))
    assert after["status"] == "inactive" and "end" in after["period"]
    assert [r["id"] for r in bundle_resources(_search(client, coordinator, "Flag", patient_id,
                                                      status="inactive"))] == [flag["id"]]


def test_care_team_rules_and_audit_apply(client, runtime, auth, coordinator, gateway, patient_id):
    _history(client, coordinator, gateway, patient_id)
    spec = client.get("/openapi.json").get_json()
    ids = {kind: bundle_resources(_search(client, coordinator, kind, patient_id))[0]["id"]
           for kind in ("Observation", "Flag")}
    urls = check_fhir_access(client, runtime, spec, patient_id=str(patient_id), ids=ids,
                             insider=support.nurse_for(runtime, auth, patient_id),
                             outsider=auth("nurse", sub=uuid.uuid4()))
    assert len(urls) == 4 == len(fhir_patient_scoped_operations(spec))
    assert_outcome(client.get("/fhir/R4/Observation", headers=auth("billing"),
                              query_string={"patient": str(patient_id)}), 403)
    assert_outcome(client.get(f"/fhir/R4/Flag/{uuid.uuid4()}", headers=coordinator), 404)
    assert_outcome(client.get("/fhir/R4/Observation", headers=coordinator, query_string={"date": "yesterday",
                                                                                         "patient": str(patient_id)}),
                   422)
    capability = fhir_json(client.get("/fhir/R4/metadata", headers=coordinator))
    assert [r["type"] for r in capability["rest"][0]["resource"]] == ["Observation", "Flag"]
