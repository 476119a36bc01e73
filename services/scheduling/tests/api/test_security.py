"""Every operation on one patient's data, found from the OpenAPI document:
401 without a token, 403 (and a denied audit record) for a clinician not on
the patient's care team; and every path under the service's own prefixes."""
import uuid
from datetime import datetime

import pytest

from carebridge.testing import (assert_problem, audit_trail, deliver, make_event, patient_scoped_operations,
                                put_on_care_team)
from carebridge.web import KIT_PATHS

PREFIXES = ("/appointment-types", "/locations", "/schedules", "/slots", "/appointments", "/waitlist",
            "/booking-requests", "/fhir/R4/", *KIT_PATHS)


@pytest.fixture
def spec(client):
    return client.get("/openapi.json").get_json()


def test_paths_stay_under_the_prefixes_this_service_owns(spec):
    assert all(path.startswith(PREFIXES) for path in spec["paths"])


def test_the_patient_scoped_operations_are_the_ones_we_expect(spec):
    assert patient_scoped_operations(spec) == [
        ("GET", "/appointments/{appointment_id}"), ("GET", "/booking-requests/{request_id}"),
        ("GET", "/waitlist/{entry_id}"), ("PATCH", "/appointments/{appointment_id}"),
        ("POST", "/appointments"), ("POST", "/appointments/recurring"), ("POST", "/waitlist"),
        ("POST", "/waitlist/{entry_id}/accept"), ("POST", "/waitlist/{entry_id}/decline"),
        ("POST", "/waitlist/{entry_id}/withdraw"), ("PUT", "/appointments/{appointment_id}/status")]


@pytest.fixture
def one_of_each(client, coordinator, world, runtime, book):
    """Path ids and request bodies that reach each patient-scoped operation."""
    appointment = book(datetime.fromisoformat("2026-03-03T15:00:00+00:00"))
    entry = client.post("/waitlist", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "follow-up", "wanted_before": "2026-03-20T00:00:00Z"}).get_json()
    deliver(runtime, make_event("careplans.plan-updated", {
        "plan_id": uuid.uuid4(), "patient_id": world.patient_id, "version": 1, "status": "active",
        "changed_sections": ["activities"], "patient_facing": True, "activities_to_schedule": [{
            "activity_id": uuid.uuid4(), "kind": "follow-up", "status": "not-started",
            "appointment_type_code": "follow-up"}]}))
    request = client.get("/booking-requests", headers=coordinator).get_json()["items"][0]
    ids = {"appointment_id": appointment["id"], "entry_id": entry["id"], "request_id": request["id"]}
    patient, practitioner = str(world.patient_id), str(world.practitioner_id)
    bodies = {
        ("POST", "/appointments"): {"patient_id": patient, "practitioner_id": practitioner,
                                    "appointment_type_code": "follow-up", "start": "2026-03-04T15:00:00Z"},
        ("POST", "/appointments/recurring"): {"patient_id": patient, "practitioner_id": practitioner,
                                              "appointment_type_code": "follow-up", "first_day": "2026-03-09",
                                              "weeks": 1, "sessions": [{"weekday": "monday", "at": "10:00"}]},
        ("POST", "/waitlist"): {"patient_id": patient, "practitioner_id": practitioner,
                                "appointment_type_code": "follow-up", "wanted_before": "2026-03-25T00:00:00Z"},
        ("PATCH", "/appointments/{appointment_id}"): {"start": "2026-03-05T15:00:00Z"},
        ("PUT", "/appointments/{appointment_id}/status"): {"status": "checked-in"},
    }
    return ids, bodies


def test_every_patient_scoped_operation_refuses_a_stranger_and_audits_it(client, auth, spec, one_of_each, runtime,
                                                                         world):
    ids, bodies = one_of_each
    stranger = uuid.uuid4()
    for method, path in patient_scoped_operations(spec):
        url = path.format(**ids)
        body = bodies.get((method, path))
        before = len(audit_trail(runtime))
        assert_problem(getattr(client, method.lower())(url, json=body), 401)
        response = getattr(client, method.lower())(url, json=body,
                                                   headers={**auth("nurse", sub=stranger), "If-Match": '"1"'})
        assert_problem(response, 403)
        denied = audit_trail(runtime)[before:]
        assert [(r["outcome"], r["actor"], r["patient_id"]) for r in denied] == [
            ("denied", str(stranger), str(world.patient_id))], (method, path)


def test_every_patient_scoped_operation_admits_the_care_team_with_one_audit_record(client, auth, spec, one_of_each,
                                                                                   runtime, world):
    ids, bodies = one_of_each
    member = uuid.uuid4()
    put_on_care_team(runtime, world.patient_id, member)
    for method, path in patient_scoped_operations(spec):
        if path.endswith(("/accept", "/decline", "/withdraw")):
            continue  # need an offer first; their success is covered in test_waitlist
        headers = auth("nurse", sub=member)
        if method != "GET" and path.startswith("/appointments/{appointment_id}"):
            # The version just read: If-Match: * no longer passes for any.
            headers["If-Match"] = client.get(f"/appointments/{ids['appointment_id']}", headers=headers).headers["ETag"]
        before = len(audit_trail(runtime))
        response = getattr(client, method.lower())(path.format(**ids), json=bodies.get((method, path)),
                                           headers=headers)
        assert response.status_code in (200, 201), (method, path, response.get_json())
        records = audit_trail(runtime)[before:]
        assert [(r["outcome"], r["patient_id"]) for r in records] == [("success", str(world.patient_id))], \
            (method, path)
