"""/fhir/R4: appointments, schedules and locations in FHIR R4, each
validated against the FHIR R4B models (`fhir.resources`)."""
import uuid
from datetime import datetime

import pytest

from carebridge.testing import put_on_care_team
from carebridge.testing.fhir import (assert_outcome, bundle_resources, check_fhir_access, fhir_json,
                                     fhir_patient_scoped_operations)

MONDAY = datetime.fromisoformat("2026-03-02T15:00:00+00:00")


@pytest.fixture
def visits(book, world):
    return [book(MONDAY.replace(day=day)) for day in (3, 4, 5)]


def search(client, headers, resource_type, **params):
    return fhir_json(client.get(f"/fhir/R4/{resource_type}", query_string=params, headers=headers))


def test_an_appointment_reads_as_valid_fhir_with_its_participants_and_codes(client, coordinator, world, visits):
    visit = visits[0]
    appointment = fhir_json(client.get(f"/fhir/R4/Appointment/{visit['id']}", headers=coordinator))
    assert appointment["status"] == "booked"
    assert appointment["start"] == "2026-03-03T15:00:00+00:00"
    assert [p["actor"] for p in appointment["participant"]] == [
        {"reference": f"Patient/{world.patient_id}"}, {"reference": f"Practitioner/{world.practitioner_id}"},
        {"reference": f"Location/{visit['location_id']}"}]
    assert appointment["serviceType"][0]["coding"][0] == {"system": "http://www.ama-assn.org/go/cpt",
                                                          "code": visit["service_code"]}
    assert appointment["appointmentType"]["coding"][0]["code"] == "follow-up"
    location = fhir_json(client.get(f"/fhir/R4/Location/{visit['location_id']}", headers=coordinator))
    assert location["status"] == "active" and location["type"][0]["coding"][0]["code"] == "OF"
    schedule = fhir_json(client.get(f"/fhir/R4/Schedule/{world.schedule_id}", headers=coordinator))
    assert schedule["actor"] == [{"reference": f"Practitioner/{world.practitioner_id}"}]
    found = search(client, coordinator, "Schedule", actor=f"Practitioner/{world.practitioner_id}")
    assert [r["id"] for r in bundle_resources(found)] == [str(world.schedule_id)]


def test_appointments_search_by_patient_date_and_status_in_pages(client, coordinator, world, visits):
    patient = f"Patient/{world.patient_id}"
    first = search(client, coordinator, "Appointment", patient=patient, _count=2)
    assert first["total"] == 3 and len(first["entry"]) == 2
    following = {link["relation"]: link["url"] for link in first["link"]}["next"]
    second = fhir_json(client.get(following.removeprefix("http://localhost"), headers=coordinator))
    assert {r["id"] for r in bundle_resources(first) + bundle_resources(second)} == {v["id"] for v in visits}
    on_the_4th = search(client, coordinator, "Appointment", patient=patient, date="2026-03-04")
    assert [r["id"] for r in bundle_resources(on_the_4th)] == [visits[1]["id"]]
    from_the_4th = search(client, coordinator, "Appointment", patient=patient, date="ge2026-03-04T00:00:00Z")
    assert {r["id"] for r in bundle_resources(from_the_4th)} == {visits[1]["id"], visits[2]["id"]}
    cancelled = client.put(f"/appointments/{visits[2]['id']}/status", headers={
        **coordinator, "If-Match": f'"{visits[2]["version"]}"'}, json={"status": "cancelled",
                                                                       "reason_code": "patient-request"})
    assert cancelled.status_code == 200, cancelled.get_json()
    found = search(client, coordinator, "Appointment", patient=patient, status="cancelled")
    [resource] = bundle_resources(found)
    assert resource["cancelationReason"]["coding"][0]["code"] == "pat"
    assert search(client, coordinator, "Appointment", patient=patient, status="booked")["total"] == 2


def test_care_team_rules_and_audit_apply_to_every_patient_scoped_fhir_operation(client, runtime, auth, world,
                                                                                visits):
    member = uuid.uuid4()
    put_on_care_team(runtime, world.patient_id, member)
    spec = client.get("/openapi.json").get_json()
    urls = check_fhir_access(client, runtime, spec, patient_id=str(world.patient_id),
                             ids={"Appointment": visits[0]["id"]}, insider=auth("nurse", sub=member),
                             outsider=auth("nurse", sub=uuid.uuid4()))
    assert len(urls) == 2 == len(fhir_patient_scoped_operations(spec))


def test_errors_are_operation_outcomes(client, coordinator, auth, world, visits):
    assert_outcome(client.get(f"/fhir/R4/Appointment/{uuid.uuid4()}", headers=coordinator), 404)
    assert_outcome(client.get("/fhir/R4/Appointment", headers=coordinator), 422)
    assert_outcome(client.get(f"/fhir/R4/Appointment/{visits[0]['id']}", headers=auth("billing")), 403)
    capability = fhir_json(client.get("/fhir/R4/metadata", headers=auth("billing")))
    assert {r["type"] for r in capability["rest"][0]["resource"]} == {"Appointment", "Schedule", "Slot", "Location"}


def test_free_slots_search_as_fhir_and_a_booking_takes_its_slots(client, coordinator, auth, world, book):
    day = {"service-type": "follow-up", "schedule": f"Schedule/{world.schedule_id}"}
    window = [("start", "ge2026-03-03T14:00:00Z"), ("start", "lt2026-03-03T15:00:00Z")]
    query = [*day.items(), *window]
    free = fhir_json(client.get("/fhir/R4/Slot", query_string=query, headers=auth("billing")))
    slots = bundle_resources(free)
    # 09:00 to 09:45 in New York: every quarter hour a 30-minute visit fits.
    assert [s["start"] for s in slots] == ["2026-03-03T14:00:00+00:00", "2026-03-03T14:15:00+00:00",
                                          "2026-03-03T14:30:00+00:00", "2026-03-03T14:45:00+00:00"]
    assert {s["status"] for s in slots} == {"free"}
    assert slots[0]["schedule"] == {"reference": f"Schedule/{world.schedule_id}"}
    again = fhir_json(client.get("/fhir/R4/Slot", query_string=query, headers=auth("billing")))
    assert [s["id"] for s in bundle_resources(again)] == [s["id"] for s in slots]
    book(datetime.fromisoformat("2026-03-03T14:00:00+00:00"))
    taken = fhir_json(client.get("/fhir/R4/Slot", query_string=query, headers=auth("billing")))
    # The visit (30 minutes) and its 5-minute buffer take the slots until 09:35.
    assert [s["start"] for s in bundle_resources(taken)] == ["2026-03-03T14:45:00+00:00"]
    assert_outcome(client.get("/fhir/R4/Slot", headers=coordinator, query_string=window), 422)
    assert_outcome(client.get("/fhir/R4/Slot", headers=coordinator, query_string=[
        ("service-type", "follow-up"), ("start", "ge2026-03-01"), ("start", "lt2026-05-01")]), 422)
    assert client.get(f"/fhir/R4/Slot/{slots[0]['id']}", headers=coordinator).status_code == 404
