"""/schedules: weekly rules, exceptions, who may change them."""
import uuid
from datetime import datetime

import pytest

from carebridge.testing import assert_problem


def schedule_body(world, practitioner_id=None, **fields):
    return {"practitioner_id": str(practitioner_id or uuid.uuid4()), "time_zone": "Europe/Berlin",
            "buffer_minutes": 10, "rules": [
                {"weekday": "monday", "start_time": "08:00", "end_time": "12:00", "location_id": str(world.clinic_id)},
                {"weekday": "monday", "start_time": "13:00", "end_time": "16:00",
                 "location_id": str(world.hospital_id), "appointment_type_codes": ["echocardiogram"]}], **fields}


def test_create_read_and_replace_a_schedule(client, coordinator, world):
    created = client.post("/schedules", json=schedule_body(world), headers=coordinator)
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    schedule = created.get_json()
    assert schedule["slot_interval_minutes"] == 15 and schedule["active"] is True
    assert schedule["rules"][1] == {"weekday": "monday", "start_time": "13:00", "end_time": "16:00",
                                    "location_id": str(world.hospital_id), "appointment_type_codes": ["echocardiogram"]}
    url = f"/schedules/{schedule['id']}"
    assert client.get(url, headers=coordinator).get_json() == schedule
    body = schedule_body(world, schedule["practitioner_id"], time_zone="Europe/Paris", rules=[])
    replaced = client.put(url, json=body, headers={**coordinator, "If-Match": '"1"'})
    assert replaced.status_code == 200 and replaced.headers["ETag"] == '"2"'
    assert replaced.get_json()["rules"] == [] and replaced.get_json()["time_zone"] == "Europe/Paris"
    assert_problem(client.put(url, json=body, headers={**coordinator, "If-Match": '"1"'}), 412)
    assert_problem(client.put(url, json=body, headers=coordinator), 428)


def test_one_schedule_per_practitioner(client, coordinator, world):
    assert_problem(client.post("/schedules", json=schedule_body(world, world.practitioner_id), headers=coordinator),
                   409)


def test_a_schedule_does_not_change_hands(client, coordinator, world):
    assert "practitioner_id" in assert_problem(client.put(
        f"/schedules/{world.schedule_id}", json=schedule_body(world), headers={**coordinator, "If-Match": '"1"'}),
        422)["errors"]


@pytest.mark.parametrize("change,field", [
    ({"time_zone": "Atlantis/Capital"}, "time_zone"),
    ({"buffer_minutes": -5}, "buffer_minutes"),
    ({"slot_interval_minutes": 1}, "slot_interval_minutes"),
    ({"rules": [{"weekday": "monday", "start_time": "12:00", "end_time": "09:00", "location_id": None}]}, "rules"),
    ({"rules": [{"weekday": "someday", "start_time": "09:00", "end_time": "12:00"}]}, "rules"),
    ({"rules": [{"weekday": "monday", "start_time": "9am", "end_time": "12:00"}]}, "rules"),
    ({"valid_from": "2026-05-01", "valid_until": "2026-04-01"}, "valid_until"),
])
def test_invalid_schedules_are_422(client, coordinator, world, change, field):
    assert field in assert_problem(client.post("/schedules", json=schedule_body(world, **change),
                                               headers=coordinator), 422)["errors"]


def test_rules_must_not_overlap_and_must_name_real_places_and_types(client, coordinator, world):
    clinic = str(world.clinic_id)
    overlapping = [{"weekday": "friday", "start_time": "09:00", "end_time": "12:00", "location_id": clinic},
                   {"weekday": "friday", "start_time": "11:00", "end_time": "13:00", "location_id": clinic}]
    for rules in (overlapping,
                  [{"weekday": "friday", "start_time": "09:00", "end_time": "12:00", "location_id": str(uuid.uuid4())}],
                  [{"weekday": "friday", "start_time": "09:00", "end_time": "12:00", "location_id": clinic,
                    "appointment_type_codes": ["reiki"]}]):
        assert "rules" in assert_problem(client.post("/schedules", json=schedule_body(world, rules=rules),
                                                     headers=coordinator), 422)["errors"]


def test_practitioners_keep_their_own_schedule_but_not_others(client, auth, world):
    me = uuid.uuid4()
    mine = auth("physician", sub=me)
    assert client.post("/schedules", json=schedule_body(world, me), headers=mine).status_code == 201
    assert_problem(client.post("/schedules", json=schedule_body(world), headers=mine), 403)
    assert_problem(client.post(f"/schedules/{world.schedule_id}/exceptions", headers=mine, json={
        "kind": "time-off", "start": "2026-03-10T00:00:00Z", "end": "2026-03-11T00:00:00Z"}), 403)
    assert_problem(client.post("/schedules", json=schedule_body(world), headers=auth("billing")), 403)
    assert client.get(f"/schedules/{world.schedule_id}", headers=auth("billing")).status_code == 200


def test_list_filters(client, coordinator, world):
    assert client.get("/schedules", query_string={"practitioner_id": str(world.practitioner_id)},
                      headers=coordinator).get_json()["total"] == 1
    assert client.get("/schedules", query_string={"location_id": str(world.telehealth_id)},
                      headers=coordinator).get_json()["total"] == 1
    assert client.get("/schedules", query_string={"location_id": str(world.hospital_id)},
                      headers=coordinator).get_json()["total"] == 0
    assert_problem(client.get(f"/schedules/{uuid.uuid4()}", headers=coordinator), 404)


class TestExceptions:
    def test_time_off_lists_the_visits_it_covers_and_moves_the_etag(self, client, coordinator, world, book):
        appointment = book(datetime.fromisoformat("2026-03-10T14:00:00+00:00"))
        response = client.post(f"/schedules/{world.schedule_id}/exceptions", headers=coordinator, json={
            "kind": "time-off", "start": "2026-03-10T00:00:00-05:00", "end": "2026-03-11T00:00:00-05:00",
            "reason_code": "conference"})
        assert response.status_code == 201
        created = response.get_json()
        assert created["booked_appointment_ids"] == [appointment["id"]]
        assert created["start"] == "2026-03-10T05:00:00+00:00" and created["reason_code"] == "conference"
        assert client.get(f"/schedules/{world.schedule_id}", headers=coordinator).headers["ETag"] == '"2"'
        listed = client.get(f"/schedules/{world.schedule_id}/exceptions", headers=coordinator,
                            query_string={"end_after": "2026-03-10T12:00:00Z"}).get_json()
        assert [e["id"] for e in listed["items"]] == [created["id"]]
        assert client.get(f"/schedules/{world.schedule_id}/exceptions", headers=coordinator,
                          query_string={"start_before": "2026-03-09T00:00:00Z"}).get_json()["total"] == 0
        assert client.delete(f"/schedules/{world.schedule_id}/exceptions/{created['id']}",
                             headers=coordinator).status_code == 204
        assert_problem(client.delete(f"/schedules/{world.schedule_id}/exceptions/{created['id']}",
                                     headers=coordinator), 404)

    @pytest.mark.parametrize("body,field", [
        ({"kind": "holiday", "start": "2026-03-10T00:00:00Z", "end": "2026-03-11T00:00:00Z"}, "kind"),
        ({"kind": "time-off", "start": "2026-03-11T00:00:00Z", "end": "2026-03-10T00:00:00Z"}, "end"),
        ({"kind": "time-off", "start": "2026-03-10T00:00:00", "end": "2026-03-11T00:00:00Z"}, "start"),
        ({"kind": "extra-hours", "start": "2026-03-10T00:00:00Z", "end": "2026-03-10T02:00:00Z"}, "location_id"),
        ({"kind": "extra-hours", "start": "2026-03-10T00:00:00Z", "end": "2026-03-12T00:00:00Z",
          "location_id": "CLINIC"}, "end"),
        ({"kind": "time-off", "start": "2026-03-10T00:00:00Z", "end": "2026-03-11T00:00:00Z",
          "location_id": "CLINIC"}, "location_id"),
        ({"kind": "time-off", "start": "2026-03-10T00:00:00Z", "end": "2026-03-11T00:00:00Z",
          "reason_code": "bored"}, "reason_code"),
    ])
    def test_invalid_exceptions_are_422(self, client, coordinator, world, body, field):
        if body.get("location_id") == "CLINIC":
            body = {**body, "location_id": str(world.clinic_id)}
        assert field in assert_problem(client.post(f"/schedules/{world.schedule_id}/exceptions", json=body,
                                                   headers=coordinator), 422)["errors"]

    def test_unknown_schedule_is_404(self, client, coordinator, world):
        assert_problem(client.get(f"/schedules/{uuid.uuid4()}/exceptions", headers=coordinator), 404)
        assert_problem(client.post(f"/schedules/{uuid.uuid4()}/exceptions", headers=coordinator, json={
            "kind": "time-off", "start": "2026-03-10T00:00:00Z", "end": "2026-03-11T00:00:00Z"}), 404)


def test_replacing_only_the_rules_moves_the_version_and_slot_search_sees_it(client, coordinator, world):
    query = {"appointment_type_code": "follow-up", "start_date": "2026-03-03", "end_date": "2026-03-03",
             "time_zone": "America/New_York"}
    assert client.get("/slots", query_string=query, headers=coordinator).get_json()["total"] == 31
    current = client.get(f"/schedules/{world.schedule_id}", headers=coordinator).get_json()
    shorter = {**{k: current[k] for k in ("practitioner_id", "time_zone", "buffer_minutes", "slot_interval_minutes")},
               "rules": [{**rule, "end_time": "10:00"} if rule["weekday"] == "tuesday" else rule
                         for rule in current["rules"]]}
    replaced = client.put(f"/schedules/{world.schedule_id}", json=shorter, headers={**coordinator, "If-Match": '"1"'})
    assert replaced.headers["ETag"] == '"2"'
    assert client.get("/slots", query_string=query, headers=coordinator).get_json()["total"] == 3
