"""POST /appointments: booking one visit."""
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from carebridge.testing import assert_problem, audit_trail, deliver, make_event, outbox, put_on_care_team
from support import add_location, add_schedule, register_patient

NEW_YORK = ZoneInfo("America/New_York")


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


def body(world, start, **fields):
    return {"patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
            "appointment_type_code": "follow-up", "start": start.isoformat(), **fields}


def test_booking_stores_the_visit_announces_it_and_audits_it(client, coordinator, world, runtime):
    response = client.post("/appointments", json=body(world, ny(2026, 3, 3, 10)),
                           headers={**coordinator, "X-Request-ID": "req-book-1"})
    assert response.status_code == 201
    appointment = response.get_json()
    assert response.headers["ETag"] == '"1"' and response.headers["Location"] == f"/appointments/{appointment['id']}"
    assert appointment["status"] == "booked" and appointment["service_code"] == "99214"
    assert appointment["setting"] == "outpatient-clinic" and appointment["location_id"] == str(world.clinic_id)
    assert appointment["end"] == "2026-03-03T15:30:00+00:00" and appointment["telehealth_join_url"] is None
    (event,) = outbox(runtime, "scheduling.appointment-booked")
    assert event.correlation_id == "req-book-1"
    assert event.data == {
        "appointment_id": appointment["id"], "patient_id": str(world.patient_id),
        "practitioner_id": str(world.practitioner_id), "appointment_type_code": "follow-up",
        "service_code": "99214", "setting": "outpatient-clinic", "location_id": str(world.clinic_id),
        "start": "2026-03-03T15:00:00+00:00", "end": "2026-03-03T15:30:00+00:00", "status": "booked",
        "care_plan_id": None, "plan_activity_id": None, "booked_by": appointment["booked_by"], "telehealth": False,
        "series_id": None, "series_index": None, "series_size": None}
    (record,) = audit_trail(runtime)
    assert (record["action"], record["resource_type"], record["resource_id"], record["patient_id"],
            record["outcome"]) == ("create", "appointment", appointment["id"], str(world.patient_id), "success")


def test_a_retry_with_the_same_idempotency_key_books_once(client, coordinator, world, runtime):
    headers = {**coordinator, "Idempotency-Key": "book-once-123"}
    first = client.post("/appointments", json=body(world, ny(2026, 3, 3, 10)), headers=headers)
    again = client.post("/appointments", json=body(world, ny(2026, 3, 3, 10)), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert len(outbox(runtime, "scheduling.appointment-booked")) == 1


def test_the_same_slot_twice_is_409_and_changes_nothing(book, client, coordinator, world, runtime):
    book(ny(2026, 3, 3, 10))
    other_patient = register_patient(runtime)
    for start in (ny(2026, 3, 3, 10), ny(2026, 3, 3, 10, 15), ny(2026, 3, 3, 9, 30)):  # 09:30 leaves no buffer
        problem = assert_problem(client.post("/appointments", headers=coordinator, json={
            **body(world, start), "patient_id": str(other_patient)}), 409)
        assert problem["reason"] == "practitioner-busy"
    assert len(outbox(runtime, "scheduling.appointment-booked")) == 1


def test_a_patient_cannot_be_in_two_places_at_once(book, client, coordinator, world, runtime):
    book(ny(2026, 3, 3, 10))
    colleague = uuid.uuid4()
    add_schedule(runtime, colleague, [{"weekday": 1, "start_time": "09:00", "end_time": "12:00",
                                       "location_id": world.clinic_id}])
    problem = assert_problem(client.post("/appointments", headers=coordinator, json={
        **body(world, ny(2026, 3, 3, 10, 15)), "practitioner_id": str(colleague)}), 409)
    assert problem["reason"] == "patient-busy"


@pytest.mark.parametrize("start,fields,reason", [
    (ny(2026, 3, 2, 8), {}, "in-the-past"),
    (ny(2026, 3, 3, 8, 45), {}, "outside-availability"),        # before hours
    (ny(2026, 3, 3, 16, 45), {}, "outside-availability"),       # would end after hours
    (ny(2026, 3, 7, 9), {}, "outside-availability"),            # Saturday is telehealth only
    (ny(2026, 3, 3, 10), {"appointment_type_code": "echocardiogram"}, "outside-availability"),
])
def test_times_no_booking_could_have_are_422_with_the_reason(client, coordinator, world, start, fields, reason):
    problem = assert_problem(client.post("/appointments", json=body(world, start, **fields), headers=coordinator),
                             422)
    assert problem["reason"] == reason


def test_a_practitioner_without_schedule_or_at_another_location(client, coordinator, world):
    problem = assert_problem(client.post("/appointments", headers=coordinator, json={
        **body(world, ny(2026, 3, 3, 10)), "practitioner_id": str(uuid.uuid4())}), 422)
    assert problem["reason"] == "no-schedule"
    problem = assert_problem(client.post("/appointments", headers=coordinator, json=body(
        world, ny(2026, 3, 3, 10), location_id=str(world.hospital_id))), 422)
    assert problem["reason"] == "outside-availability"


@pytest.mark.parametrize("change,field", [
    ({"patient_id": "not-a-uuid"}, "patient_id"),
    ({"start": "2026-03-03T10:00:00"}, "start"),                   # no offset: refused, not guessed
    ({"start": "2026-03-03T15:00:30+00:00"}, "start"),             # not a whole minute
    ({"appointment_type_code": "acupuncture"}, "appointment_type_code"),
    ({"status": "fulfilled"}, "status"),
    ({"practitioner_id": None}, "practitioner_id"),
])
def test_invalid_fields_are_422_per_field(client, coordinator, world, change, field):
    problem = assert_problem(client.post("/appointments", json={**body(world, ny(2026, 3, 3, 10)), **change},
                                         headers=coordinator), 422)
    assert field in problem["errors"]


def test_malformed_json_is_400(client, coordinator, world):
    assert_problem(client.post("/appointments", data="{oops", content_type="application/json", headers=coordinator),
                   400)


def test_pending_holds_the_slot_without_announcing_it(client, coordinator, world, runtime):
    appointment = client.post("/appointments", json=body(world, ny(2026, 3, 3, 10), status="pending"),
                              headers=coordinator).get_json()
    assert appointment["status"] == "pending" and outbox(runtime, "scheduling.appointment-booked") == []
    assert_problem(client.post("/appointments", json={**body(world, ny(2026, 3, 3, 10)),
                                                      "patient_id": str(register_patient(runtime))},
                               headers=coordinator), 409)


def test_telehealth_visits_get_their_own_unguessable_join_link(client, coordinator, world, runtime):
    first, second = (client.post("/appointments", headers=coordinator, json=body(
        world, ny(2026, 3, 7, hour), appointment_type_code="telehealth-check-in")).get_json() for hour in (9, 10))
    assert first["setting"] == "home-telehealth" and first["location_id"] == str(world.telehealth_id)
    assert first["telehealth_join_url"].startswith("https://telehealth.carebridge.example/join/")
    token = first["telehealth_join_url"].rsplit("/", 1)[1]
    assert len(token) >= 40 and first["id"] not in token and token not in second["telehealth_join_url"]
    assert [e.data["telehealth"] for e in outbox(runtime, "scheduling.appointment-booked")] == [True, True]
    assert "join" not in str([e.data for e in outbox(runtime)])  # the link never travels in events


class TestPatientWhoseEventHasNotArrived:
    def test_the_patients_api_confirms_them_and_the_booking_goes_ahead(self, client, coordinator, world,
                                                                       patients_api):
        newcomer = uuid.uuid4()
        patients_api.patients[str(newcomer)] = {"id": str(newcomer), "status": "active",
                                                "time_zone": "America/New_York"}
        response = client.post("/appointments", headers=coordinator, json={
            **body(world, ny(2026, 3, 3, 10)), "patient_id": str(newcomer)})
        assert response.status_code == 201
        assert patients_api.requests == [f"/patients/{newcomer}"]
        client.post("/appointments", headers=coordinator, json={
            **body(world, ny(2026, 3, 3, 11)), "patient_id": str(newcomer)})
        assert len(patients_api.requests) == 1  # known from then on

    def test_a_patient_nobody_knows_is_422(self, client, coordinator, world, patients_api):
        problem = assert_problem(client.post("/appointments", headers=coordinator, json={
            **body(world, ny(2026, 3, 3, 10)), "patient_id": str(uuid.uuid4())}), 422)
        assert problem["errors"] == {"patient_id": ["unknown patient"]}

    def test_the_patients_service_being_down_is_503(self, client, coordinator, world, patients_api, runtime):
        patients_api.failing = True
        assert_problem(client.post("/appointments", headers=coordinator, json={
            **body(world, ny(2026, 3, 3, 10)), "patient_id": str(uuid.uuid4())}), 503)
        assert outbox(runtime) == [] and audit_trail(runtime) == []

    def test_an_event_later_supersedes_what_the_api_said(self, client, coordinator, world, patients_api, runtime):
        newcomer = uuid.uuid4()
        patients_api.patients[str(newcomer)] = {"status": "active", "time_zone": "UTC"}
        client.post("/appointments", headers=coordinator, json={
            **body(world, ny(2026, 3, 3, 10)), "patient_id": str(newcomer)})
        deliver(runtime, make_event("patients.patient-registered", {
            "patient_id": newcomer, "revision": 1, "status": "inactive", "time_zone": "UTC",
            "contact_points": [], "communication": {}}))
        assert_problem(client.post("/appointments", headers=coordinator, json={
            **body(world, ny(2026, 3, 4, 10)), "patient_id": str(newcomer)}), 422)


def test_an_inactive_patient_cannot_be_booked(client, coordinator, world, runtime):
    inactive = register_patient(runtime, status="deceased")
    problem = assert_problem(client.post("/appointments", headers=coordinator, json={
        **body(world, ny(2026, 3, 3, 10)), "patient_id": str(inactive)}), 422)
    assert problem["errors"] == {"patient_id": ["patient is not active"]}


class TestAccess:
    def test_a_nurse_on_the_care_team_books_a_nurse_elsewhere_is_refused_and_audited(self, client, auth, world,
                                                                                     runtime):
        nurse, stranger = uuid.uuid4(), uuid.uuid4()
        put_on_care_team(runtime, world.patient_id, nurse)
        assert client.post("/appointments", json=body(world, ny(2026, 3, 3, 10)),
                           headers=auth("nurse", sub=nurse)).status_code == 201
        problem = assert_problem(client.post("/appointments", json=body(world, ny(2026, 3, 3, 11)),
                                             headers=auth("nurse", sub=stranger)), 403)
        assert "patient" not in problem["detail"].lower()
        denied = [r for r in audit_trail(runtime) if r["outcome"] == "denied"]
        assert [(r["actor"], r["patient_id"], r["action"]) for r in denied] == [
            (str(stranger), str(world.patient_id), "create")]
        assert len(outbox(runtime, "scheduling.appointment-booked")) == 1

    @pytest.mark.parametrize("role", ["billing", "admin", "service"])
    def test_roles_that_do_not_book(self, client, auth, world, role):
        headers = auth(role, sub="careplans") if role == "service" else auth(role)
        assert_problem(client.post("/appointments", json=body(world, ny(2026, 3, 3, 10)), headers=headers), 403)

    def test_no_token_is_401(self, client, world):
        assert_problem(client.post("/appointments", json=body(world, ny(2026, 3, 3, 10))), 401)


def test_a_location_given_must_be_one_the_practitioner_works_at_then(client, coordinator, world, runtime):
    second_clinic = add_location(runtime, "outpatient-clinic")
    problem = assert_problem(client.post("/appointments", headers=coordinator, json=body(
        world, ny(2026, 3, 3, 10), location_id=str(second_clinic))), 422)
    assert problem["reason"] == "outside-availability"
    assert client.post("/appointments", headers=coordinator, json=body(
        world, ny(2026, 3, 3, 10), location_id=str(world.clinic_id))).status_code == 201


def test_far_off_times_are_422_not_an_overflow(client, coordinator, world):
    problem = assert_problem(client.post("/appointments", headers=coordinator, json=body(
        world, datetime(9999, 12, 31, 23, 45, tzinfo=NEW_YORK))), 422)
    assert "start" in problem["errors"]


class TestTheSlotGrid:
    """Issue 25, item 12: 10:07 on a 15-minute grid is refused unless the caller says it is deliberate."""

    def test_a_start_off_the_grid_is_a_clear_422_and_books_nothing(self, book, client, coordinator, world, runtime):
        problem = book(ny(2026, 3, 3, 10, 7), expect=422)
        assert problem["reason"] == "off-grid" and "off_grid" in problem["detail"]
        assert outbox(runtime, "scheduling.appointment-booked") == []

    def test_a_deliberate_off_grid_start_is_booked(self, book, world):
        visit = book(ny(2026, 3, 3, 10, 7), off_grid=True)
        assert visit["start"] == "2026-03-03T15:07:00+00:00"

    def test_on_the_grid_needs_nothing(self, book):
        assert book(ny(2026, 3, 3, 10, 15))["status"] == "booked"

    def test_moving_a_visit_off_the_grid_is_refused_too(self, book, client, coordinator):
        visit = book(ny(2026, 3, 3, 10, 0))
        moved = client.patch(f"/appointments/{visit['id']}", headers={**coordinator, "If-Match": '"1"'},
                            json={"start": ny(2026, 3, 3, 11, 52).isoformat()})
        assert_problem(moved, 422)
        deliberate = client.patch(f"/appointments/{visit['id']}", headers={**coordinator, "If-Match": '"1"'},
                                 json={"start": ny(2026, 3, 3, 11, 52).isoformat(), "off_grid": True})
        assert deliberate.status_code == 200, deliberate.get_json()
