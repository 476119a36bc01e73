"""Issue 25, item 14 (a): visit types are data per clinical setting; an
administrator adds and retires them, and a type is booked only at a
location of its setting."""
import uuid
from datetime import datetime, timezone

import pytest

from carebridge.testing import assert_problem
from support import add_location, add_schedule

TUESDAY_TEN_NY = "2026-03-03T15:00:00+00:00"
ROUND = {"code": "nursing-home-round", "display": "Nursing home round", "service_code": "99309",
         "duration_minutes": 30, "setting": "nursing-home", "billing_category": "primary-care"}


@pytest.fixture
def visiting_doctor(runtime, world):
    """A practitioner who sees residents at a nursing home on Tuesdays and
    clinic patients in the afternoon, listing no types (the setting decides)."""
    home = add_location(runtime, "nursing-home")
    practitioner = uuid.uuid4()
    add_schedule(runtime, practitioner, [
        {"weekday": 1, "start_time": "09:00", "end_time": "12:00", "location_id": home},
        {"weekday": 1, "start_time": "13:00", "end_time": "17:00", "location_id": world.clinic_id}])
    return practitioner, home


def booking(world, practitioner, code, location=None, start=TUESDAY_TEN_NY):
    return {"patient_id": str(world.patient_id), "practitioner_id": str(practitioner),
            "appointment_type_code": code, "start": start,
            **({"location_id": str(location)} if location else {})}


def test_an_administrator_adds_a_type_to_a_setting_and_it_is_booked_there_only(client, auth, world,
                                                                               visiting_doctor):
    practitioner, home = visiting_doctor
    coordinator = auth("coordinator")
    # Not a type yet.
    assert_problem(client.post("/appointments", json=booking(world, practitioner, "nursing-home-round"),
                               headers=coordinator), 422)
    added = client.post("/appointment-types", json=ROUND, headers=auth("admin"))
    assert added.status_code == 201 and added.headers["Location"] == "/appointment-types/nursing-home-round"
    assert added.get_json() == {**ROUND, "active": True}
    listed = client.get("/appointment-types", query_string={"setting": "nursing-home"}, headers=coordinator)
    assert [t["code"] for t in listed.get_json()["items"]] == ["nursing-home-round"]
    # At the nursing home it is booked; in the clinic afternoon it is not offered.
    visit = client.post("/appointments", json=booking(world, practitioner, "nursing-home-round"), headers=coordinator)
    assert visit.status_code == 201, visit.get_json()
    assert visit.get_json()["location_id"] == str(home) and visit.get_json()["setting"] == "nursing-home"
    refused = client.post("/appointments", json=booking(world, practitioner, "nursing-home-round",
                                                        start="2026-03-03T19:00:00+00:00"), headers=coordinator)
    assert assert_problem(refused, 422)["reason"] == "outside-availability"


def test_a_type_is_not_booked_at_a_location_of_another_setting_even_when_the_schedule_lists_it(
        client, auth, runtime, world):
    practitioner = uuid.uuid4()
    add_schedule(runtime, practitioner, [{"weekday": 1, "start_time": "09:00", "end_time": "12:00",
                                          "location_id": world.hospital_id,
                                          "appointment_type_codes": ["follow-up", "echocardiogram"]}])
    coordinator = auth("coordinator")
    refused = client.post("/appointments", json=booking(world, practitioner, "follow-up", world.hospital_id),
                          headers=coordinator)
    assert assert_problem(refused, 422)["reason"] == "outside-availability"
    slots = client.get("/slots", query_string={"appointment_type_code": "follow-up", "start_date": "2026-03-03",
                                               "end_date": "2026-03-03", "practitioner_id": str(practitioner)},
                       headers=coordinator).get_json()
    assert slots["total"] == 0
    hospital_visit = client.post("/appointments", json=booking(world, practitioner, "echocardiogram"),
                                 headers=coordinator)
    assert hospital_visit.status_code == 201 and hospital_visit.get_json()["setting"] == "hospital"


def test_a_retired_type_is_no_longer_booked_and_booked_visits_keep_it(client, auth, world, book):
    booked = book(datetime(2026, 3, 3, 16, tzinfo=timezone.utc))
    admin, coordinator = auth("admin"), auth("coordinator")
    assert_problem(client.post("/appointment-types/follow-up/retire", headers=coordinator), 403)
    retired = client.post("/appointment-types/follow-up/retire", headers=admin)
    assert retired.status_code == 200 and retired.get_json()["active"] is False
    refused = client.post("/appointments", json=booking(world, world.practitioner_id, "follow-up"),
                          headers=coordinator)
    assert "appointment_type_code" in assert_problem(refused, 422)["errors"]
    kept = client.get(f"/appointments/{booked['id']}", headers=coordinator).get_json()
    assert kept["appointment_type_code"] == "follow-up" and kept["status"] == "booked"
    active = client.get("/appointment-types", query_string={"active": True}, headers=coordinator).get_json()
    assert "follow-up" not in [t["code"] for t in active["items"]] and active["total"] == 7
    assert_problem(client.post("/appointment-types/acupuncture/retire", headers=admin), 404)


@pytest.mark.parametrize("change,field", [
    ({"setting": "spa"}, "setting"),
    ({"code": "Not A Slug"}, "code"),
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"duration_minutes": 9 * 60}, "duration_minutes"),
    ({"billing_category": "massage"}, "billing_category"),
    ({"service_code": ""}, "service_code"),
])
def test_bad_types_are_422_and_change_nothing(client, auth, change, field):
    admin = auth("admin")
    assert field in assert_problem(client.post("/appointment-types", json={**ROUND, **change}, headers=admin),
                                   422)["errors"]
    assert client.get("/appointment-types", headers=admin).get_json()["total"] == 8


def test_only_administrators_add_types_and_codes_are_unique(client, auth):
    assert_problem(client.post("/appointment-types", json=ROUND, headers=auth("coordinator")), 403)
    assert_problem(client.post("/appointment-types", json={**ROUND, "code": "follow-up"}, headers=auth("admin")),
                   409)
    assert client.get("/appointment-types", headers=auth()).get_json()["total"] == 8
