"""/fhir/R4: care plans (and every stored version), goals, medications,
tasks and medication-safety findings in FHIR R4, each validated against
the FHIR R4B models (`fhir.resources`)."""
import uuid

import pytest

from carebridge.testing.fhir import (assert_outcome, bundle_resources, check_fhir_access, fhir_json,
                                     fhir_patient_scoped_operations)
from support import (SPIRONOLACTONE, VALSARTAN, activity_of, check_in, create_plan, follow_up, goal, medication,
                     plan_body, revise, therapy)

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
TYPES = ("CarePlan", "Goal", "MedicationRequest", "Task", "DetectedIssue")


@pytest.fixture
def record(client, as_, team):
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, care_team_id=str(team.care_team_id),
                                                             activities=[
        medication("valsartan", VALSARTAN, detail={"times_of_day": ["08:00"], "purpose": "blood pressure"}),
        medication("spironolactone", SPIRONOLACTONE), check_in(), follow_up(), therapy()], goals=[goal()]))
    alert = client.get(f"/medication-alerts?plan_id={plan['id']}", headers=as_("coordinator")).get_json()["items"][0]
    task = client.post("/tasks", json={"patient_id": str(team.patient_id), "code": "general", "reason": "Call back",
                                       "owner_id": str(team.nurse_id), "focus_type": "plan", "focus_id": plan["id"]},
                       headers=as_("coordinator")).get_json()
    valsartan = activity_of(plan, "medication")
    return {"plan": plan, "alert": alert, "task": task, "valsartan": valsartan,
            "ids": {"CarePlan": plan["id"], "Goal": plan["goals"][0]["id"], "MedicationRequest": valsartan["id"],
                    "Task": task["id"], "DetectedIssue": alert["id"]}}


def read(client, headers, resource_type, resource_id):
    return fhir_json(client.get(f"/fhir/R4/{resource_type}/{resource_id}", headers=headers))


def search(client, headers, resource_type, **params):
    return fhir_json(client.get(f"/fhir/R4/{resource_type}", query_string=params, headers=headers))


def test_every_record_reads_and_searches_as_valid_fhir(client, as_, team, record):
    for resource_type in TYPES:
        resource = read(client, as_("nurse"), resource_type, record["ids"][resource_type])
        assert (resource["resourceType"], resource["id"]) == (resource_type, record["ids"][resource_type])
        bundle = search(client, as_("nurse"), resource_type, patient=f"Patient/{team.patient_id}")
        assert resource in bundle_resources(bundle)
    medications = search(client, as_("nurse"), "MedicationRequest", patient=str(team.patient_id))
    assert medications["total"] == 2


def test_the_care_plan_links_its_goals_medications_and_team(client, as_, team, record):
    plan = read(client, as_("nurse"), "CarePlan", record["plan"]["id"])
    assert plan["status"] == "active" and plan["intent"] == "plan"
    assert plan["subject"] == {"reference": f"Patient/{team.patient_id}"}
    assert plan["careTeam"] == [{"reference": f"CareTeam/{team.care_team_id}"}]
    assert plan["goal"] == [{"reference": f"Goal/{record['ids']['Goal']}"}]
    assert plan["addresses"] == [{"identifier": {"system": "http://hl7.org/fhir/sid/icd-10-cm", "value": "I50.9"},
                                  "display": "Heart failure"}]
    medication_refs = [a["reference"]["reference"] for a in plan["activity"] if "reference" in a]
    assert medication_refs == [f"MedicationRequest/{a['id']}" for a in record["plan"]["activities"]
                               if a["kind"] == "medication"]
    details = [a["detail"] for a in plan["activity"] if "detail" in a]
    assert [d["code"]["coding"][0]["code"] for d in details] == ["check-in", "follow-up", "therapy"]
    assert details[1]["scheduledPeriod"] == {"start": "2026-03-09", "end": "2026-03-16"}
    assert details[1]["kind"] == "Appointment"
    request = read(client, as_("nurse"), "MedicationRequest", record["valsartan"]["id"])
    assert request["medicationCodeableConcept"]["coding"][0] == {"system": RXNORM, "code": VALSARTAN,
                                                                 "display": "valsartan"}
    assert request["status"] == "active" and request["basedOn"] == [{"reference": f"CarePlan/{record['plan']['id']}"}]
    assert request["dosageInstruction"][0]["timing"]["repeat"]["timeOfDay"] == ["08:00:00"]
    assert request["dosageInstruction"][0]["route"]["coding"][0]["code"] == "26643006"
    issue = read(client, as_("nurse"), "DetectedIssue", record["alert"]["id"])
    assert issue["code"]["coding"][0]["code"] in ("DRG", "DUPTHPY", "ALGY")
    assert {"reference": f"MedicationRequest/{record['alert']['activity_id']}"} in issue["implicated"]
    task = read(client, as_("nurse"), "Task", record["task"]["id"])
    assert task["owner"] == {"reference": f"Practitioner/{team.nurse_id}"}
    assert task["focus"] == {"reference": f"CarePlan/{record['plan']['id']}"}


def test_vread_gives_each_stored_version_of_a_care_plan(client, as_, team, record):
    plan = record["plan"]
    changed = revise(client, as_("coordinator"), plan, title="Heart failure care, revised")
    assert changed.status_code == 200, changed.get_json()
    current = read(client, as_("nurse"), "CarePlan", plan["id"])
    assert current["meta"]["versionId"] == "2" and current["title"] == "Heart failure care, revised"
    first = fhir_json(client.get(f"/fhir/R4/CarePlan/{plan['id']}/_history/1", headers=as_("nurse")))
    assert first["meta"]["versionId"] == "1" and first["title"] == "Heart failure care"
    second = fhir_json(client.get(f"/fhir/R4/CarePlan/{plan['id']}/_history/2", headers=as_("nurse")))
    assert {k: v for k, v in second.items() if k != "meta"} == {k: v for k, v in current.items() if k != "meta"}
    assert_outcome(client.get(f"/fhir/R4/CarePlan/{plan['id']}/_history/3", headers=as_("nurse")), 404)


def test_searches_filter_by_status_and_date(client, as_, team, record, clock):
    patient = f"Patient/{team.patient_id}"
    draft = create_plan(client, as_("coordinator"), plan_body(team.patient_id, status="draft", activities=[
        medication("metoprolol", "6918")], period={"start": "2026-05-01"}))
    assert [r["id"] for r in bundle_resources(search(client, as_("nurse"), "CarePlan", patient=patient,
                                                     status="draft"))] == [draft["id"]]
    assert search(client, as_("nurse"), "CarePlan", patient=patient, status="active,draft")["total"] == 2
    assert [r["id"] for r in bundle_resources(search(client, as_("nurse"), "CarePlan", patient=patient,
                                                     date="ge2026-04"))] == [draft["id"]]
    drafted = search(client, as_("nurse"), "MedicationRequest", patient=patient, status="draft")
    assert [r["medicationCodeableConcept"]["text"] for r in bundle_resources(drafted)] == ["metoprolol"]
    assert search(client, as_("nurse"), "MedicationRequest", patient=patient, status="active")["total"] == 2
    assert search(client, as_("nurse"), "Task", patient=patient, status="completed")["total"] == 0
    assert search(client, as_("nurse"), "Task", patient=patient, status="requested")["total"] == 1
    clock.advance(days=2)
    later = search(client, as_("nurse"), "CarePlan", patient=patient, _lastUpdated=f"gt{clock.now().date()}")
    assert later["total"] == 0


def test_care_team_rules_and_audit_apply_to_every_patient_scoped_fhir_operation(client, runtime, as_, team, record):
    spec = client.get("/openapi.json").get_json()
    urls = check_fhir_access(client, runtime, spec, patient_id=str(team.patient_id), ids=record["ids"],
                             insider=as_("nurse"), outsider=as_("outsider"))
    assert len(urls) == 2 * len(TYPES) + 1 == len(fhir_patient_scoped_operations(spec))


def test_errors_are_operation_outcomes_and_billing_reads_nothing_clinical(client, as_, auth, team, record):
    # (A nurse is told 403 for a record that does not exist, as for another patient's.)
    assert_outcome(client.get(f"/fhir/R4/CarePlan/{uuid.uuid4()}", headers=as_("coordinator")), 404)
    assert_outcome(client.get("/fhir/R4/Task", headers=as_("nurse")), 422)
    assert_outcome(client.get(f"/fhir/R4/CarePlan/{record['plan']['id']}", headers=auth("billing")), 403)
    capability = fhir_json(client.get("/fhir/R4/metadata", headers=as_("nurse")))
    served = {r["type"]: r for r in capability["rest"][0]["resource"]}
    assert set(served) == set(TYPES)
    assert served["CarePlan"]["versioning"] == "versioned"
    assert {"code": "vread"} in served["CarePlan"]["interaction"]
