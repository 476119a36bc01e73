"""POST /appointments/recurring: therapy courses, each visit checked."""
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from carebridge.testing import assert_problem, audit_trail, outbox
from support import add_schedule, register_patient

NEW_YORK = ZoneInfo("America/New_York")


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


def course(world, **fields):
    return {"patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
            "appointment_type_code": "physical-therapy", "first_day": "2026-03-03", "weeks": 6,
            "sessions": [{"weekday": "tuesday", "at": "10:00"}, {"weekday": "thursday", "at": "10:00"}], **fields}


def test_twice_a_week_for_six_weeks_books_twelve_visits_at_local_time(client, coordinator, world, runtime):
    response = client.post("/appointments/recurring", json=course(world), headers=coordinator)
    assert response.status_code == 201, response.get_json()
    outcome = response.get_json()
    assert outcome["refused"] == [] and len(outcome["booked"]) == 12
    assert {a["series_id"] for a in outcome["booked"]} == {outcome["series_id"]}
    assert [a["start"] for a in outcome["booked"][:3]] == [
        "2026-03-03T15:00:00+00:00", "2026-03-05T15:00:00+00:00", "2026-03-10T14:00:00+00:00"]  # DST on 8 March
    assert len(outbox(runtime, "scheduling.appointment-booked")) == 12
    (record,) = audit_trail(runtime)
    assert (record["action"], record["resource_type"], record["resource_id"]) == (
        "create", "appointment-series", outcome["series_id"])
    series = client.get("/appointments", query_string={"series_id": outcome["series_id"]}, headers=coordinator)
    assert series.get_json()["total"] == 12


def test_occurrences_that_clash_or_fall_on_time_off_are_reported_and_the_rest_booked(client, coordinator, world,
                                                                                    runtime, book):
    book(ny(2026, 3, 10, 10, 15), patient_id=str(register_patient(runtime)))      # someone else's visit
    client.post(f"/schedules/{world.schedule_id}/exceptions", headers=coordinator, json={
        "kind": "time-off", "start": ny(2026, 3, 19, 0).isoformat(), "end": ny(2026, 3, 20, 0).isoformat()})
    outcome = client.post("/appointments/recurring", json=course(world), headers=coordinator).get_json()
    assert len(outcome["booked"]) == 10
    assert [(r["start"], r["reason"]) for r in outcome["refused"]] == [
        ("2026-03-10T14:00:00+00:00", "practitioner-busy"), ("2026-03-19T14:00:00+00:00", "time-off")]
    assert all(r["detail"] for r in outcome["refused"])
    assert len(outbox(runtime, "scheduling.appointment-booked")) == 1 + 10


def test_when_nothing_fits_it_is_409_with_the_report_and_nothing_is_booked(client, coordinator, world, runtime):
    problem = assert_problem(client.post("/appointments/recurring", headers=coordinator, json=course(
        world, sessions=[{"weekday": "sunday", "at": "10:00"}], weeks=2)), 409)
    assert [r["reason"] for r in problem["refused"]] == ["outside-availability", "outside-availability"]
    assert outbox(runtime) == [] and audit_trail(runtime) == []


def test_sessions_may_be_given_in_another_time_zone(client, coordinator, world):
    outcome = client.post("/appointments/recurring", headers=coordinator, json=course(
        world, weeks=1, time_zone="America/Chicago", sessions=[{"weekday": "tuesday", "at": "09:00"}])).get_json()
    assert [a["start"] for a in outcome["booked"]] == ["2026-03-03T15:00:00+00:00"]


def test_a_retried_request_books_the_course_once(client, coordinator, world, runtime):
    headers = {**coordinator, "Idempotency-Key": "therapy-course-1"}
    first = client.post("/appointments/recurring", json=course(world, weeks=1), headers=headers)
    again = client.post("/appointments/recurring", json=course(world, weeks=1), headers=headers)
    assert first.get_json() == again.get_json() and len(outbox(runtime)) == 2


def test_bad_courses_are_422(client, coordinator, world, runtime):
    for change, field in (({"weeks": 0}, "weeks"), ({"sessions": []}, "sessions"),
                          ({"sessions": [{"weekday": "funday", "at": "10:00"}]}, "sessions"),
                          ({"sessions": [{"weekday": "monday", "at": "25:00"}]}, "sessions"),
                          ({"time_zone": "Nowhere/Land"}, "time_zone")):
        assert field in assert_problem(client.post("/appointments/recurring", json=course(world, **change),
                                                   headers=coordinator), 422)["errors"]
    many = course(world, weeks=52, sessions=[{"weekday": d, "at": "10:00"} for d in ("monday", "tuesday", "friday")])
    assert "weeks" in assert_problem(client.post("/appointments/recurring", json=many, headers=coordinator),
                                     422)["errors"]
    nobody = course(world, practitioner_id=str(uuid.uuid4()))
    assert assert_problem(client.post("/appointments/recurring", json=nobody, headers=coordinator),
                          422)["reason"] == "no-schedule"


def test_a_clinician_off_the_team_is_refused(client, auth, world):
    assert_problem(client.post("/appointments/recurring", json=course(world),
                               headers=auth("physician", sub=uuid.uuid4())), 403)


def test_other_practitioners_schedules_do_not_leak_in(client, coordinator, world, runtime):
    other = uuid.uuid4()
    add_schedule(runtime, other, [{"weekday": 1, "start_time": "10:00", "end_time": "11:00",
                                   "location_id": world.clinic_id}])
    outcome = client.post("/appointments/recurring", headers=coordinator, json=course(
        world, practitioner_id=str(other), weeks=2)).get_json()
    assert len(outcome["booked"]) == 2 and {r["reason"] for r in outcome["refused"]} == {"outside-availability"}


def test_the_course_is_announced_with_each_visits_place_in_it(client, coordinator, world, runtime):
    """Issue 25, item 9: notifications tells the patient once per course, from these fields."""
    outcome = client.post("/appointments/recurring", json=course(world, weeks=2), headers=coordinator).get_json()
    booked = outbox(runtime, "scheduling.appointment-booked")
    assert [(e.data["series_id"], e.data["series_index"], e.data["series_size"]) for e in booked] == [
        (outcome["series_id"], index, 4) for index in (1, 2, 3, 4)]
