"""careplans.plan-updated puts follow-ups and therapy courses on the "to book"
list; booking one fulfils it; cancelled activities leave the list."""
import uuid
from datetime import date, datetime

import pytest

from carebridge.testing import assert_problem, audit_trail, deliver, make_event, put_on_care_team
from support import patient_event


def plan_event(world, plan_id, version, activities, status="active"):
    return make_event("careplans.plan-updated", {
        "plan_id": plan_id, "patient_id": world.patient_id, "version": version, "status": status,
        "changed_sections": ["activities"], "patient_facing": True, "activities_to_schedule": activities})


def activity(activity_id, status="not-started", **fields):
    return {"activity_id": activity_id, "kind": "follow-up", "status": status,
            "appointment_type_code": "cardiology-follow-up", "window_start": date(2026, 3, 9),
            "window_end": date(2026, 3, 20), **fields}


def planned_course(runtime, world, client, coordinator):
    """A plan asking for a therapy course, booked as two Tuesday sessions."""
    plan, item = uuid.uuid4(), uuid.uuid4()
    deliver(runtime, plan_event(world, plan, 1, [activity(item, kind="therapy",
                                                           appointment_type_code="physical-therapy")]))
    outcome = client.post("/appointments/recurring", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "physical-therapy", "first_day": "2026-03-03", "weeks": 2,
        "sessions": [{"weekday": "tuesday", "at": "10:00"}], "plan_activity_id": str(item)}).get_json()
    return plan, outcome


@pytest.fixture
def to_book(client, coordinator):
    def listing(**query):
        response = client.get("/booking-requests", query_string=query, headers=coordinator)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]
    return listing


def test_new_follow_ups_and_therapy_courses_go_on_the_list_with_their_window(runtime, world, to_book):
    plan, follow_up, therapy = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert deliver(runtime, plan_event(world, plan, 3, [
        activity(follow_up),
        activity(therapy, kind="therapy", appointment_type_code="physical-therapy", sessions_per_week=2,
                 duration_weeks=6, window_end=None)])) == "applied"
    (first, second) = to_book()
    assert (first["plan_activity_id"], first["window_end"], first["status"], first["plan_version"]) == (
        str(follow_up), "2026-03-20", "open", 3)
    assert (second["kind"], second["sessions_per_week"], second["duration_weeks"]) == ("therapy", 2, 6)
    assert {first["care_plan_id"], second["patient_id"]} == {str(plan), str(world.patient_id)}


def test_a_duplicate_delivery_adds_nothing(runtime, world, to_book):
    event = plan_event(world, uuid.uuid4(), 1, [activity(uuid.uuid4())])
    assert deliver(runtime, event) == "applied"
    assert deliver(runtime, event) == "duplicate"
    assert len(to_book()) == 1


def test_a_changed_activity_updates_its_request_and_a_late_older_version_is_ignored(runtime, world, to_book):
    plan, item = uuid.uuid4(), uuid.uuid4()
    deliver(runtime, plan_event(world, plan, 1, [activity(item)]))
    deliver(runtime, plan_event(world, plan, 3, [activity(item, window_end=date(2026, 4, 30))]))
    deliver(runtime, plan_event(world, plan, 2, [activity(item, status="cancelled")]))  # arrives late
    (request,) = to_book()
    assert (request["window_end"], request["plan_version"], request["status"]) == ("2026-04-30", 3, "open")


def test_cancelled_or_stopped_activities_and_ended_plans_leave_the_list(runtime, world, to_book):
    plan, one, two, three = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    deliver(runtime, plan_event(world, plan, 1, [activity(one), activity(two), activity(three)]))
    deliver(runtime, plan_event(world, plan, 2, [activity(one, status="cancelled"), activity(two, status="stopped")]))
    assert [r["plan_activity_id"] for r in to_book()] == [str(three)]
    deliver(runtime, plan_event(world, plan, 3, [], status="revoked"))
    assert to_book() == [] and len(to_book(status="withdrawn")) == 3


def test_activities_on_hold_wait_aside_and_already_scheduled_ones_are_not_added(runtime, world, to_book):
    plan, paused, scheduled = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    deliver(runtime, plan_event(world, plan, 1, [activity(paused, status="on-hold"),
                                                 activity(scheduled, status="scheduled")]))
    assert to_book() == [] and [r["plan_activity_id"] for r in to_book(status="on-hold")] == [str(paused)]
    deliver(runtime, plan_event(world, plan, 2, [activity(paused, status="in-progress")]))
    assert [r["plan_activity_id"] for r in to_book()] == [str(paused)]


def test_an_unknown_appointment_type_is_still_listed_for_a_person_to_see(runtime, world, to_book):
    deliver(runtime, plan_event(world, uuid.uuid4(), 1, [activity(uuid.uuid4(), appointment_type_code="hypnosis")]))
    assert [r["appointment_type_code"] for r in to_book()] == ["hypnosis"]


def test_booking_the_activity_fulfils_its_request_and_carries_the_plan(runtime, world, to_book, book):
    plan, item = uuid.uuid4(), uuid.uuid4()
    deliver(runtime, plan_event(world, plan, 1, [activity(item)]))
    appointment = book(datetime.fromisoformat("2026-03-10T14:00:00+00:00"),
                       plan_activity_id=str(item))
    assert appointment["care_plan_id"] == str(plan) and appointment["plan_activity_id"] == str(item)
    assert to_book() == []
    (fulfilled,) = to_book(status="fulfilled")
    assert fulfilled["appointment_id"] == appointment["id"]
    # A later plan version does not reopen what was booked.
    deliver(runtime, plan_event(world, plan, 2, [activity(item, window_end=date(2026, 3, 27))]))
    assert to_book() == []


def careplans_knows(patients_api, world, plan, *activities):
    """The careplans API describes the plan (scheduling asks it about a plan
    whose event has not arrived)."""
    patients_api.care_plans[str(plan)] = {"id": str(plan), "patient_id": str(world.patient_id),
                                          "activities": [{"id": str(a)} for a in activities]}


def test_a_visit_booked_before_its_plan_event_arrives_is_not_listed_to_book(runtime, world, to_book, book,
                                                                            patients_api):
    # The coordinator books from the care plan before scheduling has heard of
    # the plan (its event is late: a broker outage, a slow consumer).
    plan, item = uuid.uuid4(), uuid.uuid4()
    careplans_knows(patients_api, world, plan, item)
    appointment = book(datetime.fromisoformat("2026-03-10T14:00:00+00:00"), care_plan_id=str(plan),
                       plan_activity_id=str(item))
    deliver(runtime, plan_event(world, plan, 1, [activity(item)]))
    assert to_book() == []
    (fulfilled,) = to_book(status="fulfilled")
    assert (fulfilled["plan_activity_id"], fulfilled["appointment_id"]) == (str(item), appointment["id"])
    deliver(runtime, plan_event(world, plan, 2, [activity(item, status="scheduled")]))
    assert to_book() == [] and len(to_book(status="fulfilled")) == 1


def test_a_course_booked_before_its_plan_event_arrives_is_not_listed_to_book(runtime, world, to_book, client,
                                                                            coordinator, patients_api):
    plan, item = uuid.uuid4(), uuid.uuid4()
    careplans_knows(patients_api, world, plan, item)
    outcome = client.post("/appointments/recurring", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "physical-therapy", "first_day": "2026-03-03", "weeks": 2,
        "sessions": [{"weekday": "tuesday", "at": "10:00"}], "care_plan_id": str(plan),
        "plan_activity_id": str(item)}).get_json()
    deliver(runtime, plan_event(world, plan, 1, [activity(item, kind="therapy",
                                                           appointment_type_code="physical-therapy")]))
    assert to_book() == []
    assert to_book(status="fulfilled")[0]["series_id"] == outcome["series_id"]


def test_a_visit_booked_before_its_plan_event_but_missed_since_is_listed(runtime, world, to_book, client,
                                                                        coordinator, book, clock, patients_api):
    plan, item = uuid.uuid4(), uuid.uuid4()
    careplans_knows(patients_api, world, plan, item)
    appointment = book(datetime.fromisoformat("2026-03-10T14:00:00+00:00"), care_plan_id=str(plan),
                       plan_activity_id=str(item))
    clock.set(datetime.fromisoformat("2026-03-10T14:20:00+00:00"))
    client.put(f"/appointments/{appointment['id']}/status", headers={**coordinator, "If-Match": '"1"'},
               json={"status": "noshow"})
    deliver(runtime, plan_event(world, plan, 1, [activity(item)]))
    assert [r["plan_activity_id"] for r in to_book()] == [str(item)]


def test_a_therapy_course_booked_as_a_series_fulfils_its_request(runtime, world, to_book, client, coordinator):
    plan, outcome = planned_course(runtime, world, client, coordinator)
    assert {a["care_plan_id"] for a in outcome["booked"]} == {str(plan)}
    assert to_book(status="fulfilled")[0]["series_id"] == outcome["series_id"]


def test_an_activity_of_another_patient_cannot_be_booked_for_this_one(runtime, world, client, coordinator):
    item = uuid.uuid4()
    deliver(runtime, make_event("careplans.plan-updated", {
        "plan_id": uuid.uuid4(), "patient_id": uuid.uuid4(), "version": 1, "status": "active",
        "changed_sections": ["activities"], "patient_facing": True, "activities_to_schedule": [activity(item)]}))
    problem = assert_problem(client.post("/appointments", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "follow-up", "start": "2026-03-10T14:00:00Z", "plan_activity_id": str(item)}), 422)
    assert "plan_activity_id" in problem["errors"]


class TestBookingRequestEndpoints:
    def test_one_request_is_read_with_its_etag_and_audited(self, runtime, world, client, coordinator, to_book):
        deliver(runtime, plan_event(world, uuid.uuid4(), 1, [activity(uuid.uuid4())]))
        (listed,) = to_book()
        response = client.get(f"/booking-requests/{listed['id']}", headers=coordinator)
        assert response.get_json() == listed and response.headers["ETag"] == '"1"'
        assert [(r["action"], r["resource_id"]) for r in audit_trail(runtime)][-1] == ("read", listed["id"])
        assert_problem(client.get(f"/booking-requests/{uuid.uuid4()}", headers=coordinator), 404)

    def test_clinicians_see_only_their_patients_requests(self, runtime, world, client, auth, to_book):
        deliver(runtime, plan_event(world, uuid.uuid4(), 1, [activity(uuid.uuid4())]))
        (listed,) = to_book()
        nurse, stranger = uuid.uuid4(), uuid.uuid4()
        put_on_care_team(runtime, world.patient_id, nurse)
        assert client.get("/booking-requests", headers=auth("nurse", sub=nurse)).get_json()["total"] == 1
        assert client.get("/booking-requests", headers=auth("nurse", sub=stranger)).get_json()["total"] == 0
        assert_problem(client.get(f"/booking-requests/{listed['id']}", headers=auth("nurse", sub=stranger)), 403)
        assert_problem(client.get("/booking-requests", headers=auth("billing")), 403)

    def test_most_urgent_first_and_filters(self, runtime, world, client, coordinator, to_book):
        plan = uuid.uuid4()
        late, soon, open_ended = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        deliver(runtime, plan_event(world, plan, 1, [activity(late, window_end=date(2026, 5, 1)),
                                                     activity(soon, window_end=date(2026, 3, 13)),
                                                     activity(open_ended, window_end=None)]))
        assert [r["plan_activity_id"] for r in to_book()] == [str(soon), str(late), str(open_ended)]
        assert [r["plan_activity_id"] for r in to_book(window_end_before="2026-04-01")] == [str(soon)]
        assert len(to_book(care_plan_id=str(plan), kind="follow-up")) == 3
        assert to_book(patient_id=str(uuid.uuid4())) == []
        assert_problem(client.get("/booking-requests", query_string={"status": "lost"}, headers=coordinator), 422)


class TestAVisitThatFallsThrough:
    @pytest.fixture
    def booked_from_plan(self, runtime, world, book):
        plan, item = uuid.uuid4(), uuid.uuid4()
        deliver(runtime, plan_event(world, plan, 1, [activity(item)]))
        appointment = book(datetime.fromisoformat("2026-03-10T14:00:00+00:00"), plan_activity_id=str(item))
        return plan, item, appointment

    def test_a_cancelled_visit_puts_its_request_back_on_the_list(self, client, coordinator, booked_from_plan,
                                                                to_book):
        _plan, item, appointment = booked_from_plan
        client.put(f"/appointments/{appointment['id']}/status", headers={**coordinator, "If-Match": '"1"'},
                   json={"status": "cancelled", "reason_code": "rescheduled"})
        (reopened,) = to_book()
        assert reopened["plan_activity_id"] == str(item) and reopened["appointment_id"] is None

    def test_a_missed_visit_asked_for_again_by_the_plan_is_listed_again(self, runtime, world, client, coordinator,
                                                                       booked_from_plan, to_book, clock):
        plan, item, appointment = booked_from_plan
        clock.set(datetime.fromisoformat("2026-03-10T14:20:00+00:00"))
        client.put(f"/appointments/{appointment['id']}/status", headers={**coordinator, "If-Match": '"1"'},
                   json={"status": "noshow"})
        assert to_book() == []
        deliver(runtime, plan_event(world, plan, 2, [activity(item, window_end=date(2026, 3, 31))]))
        assert [r["window_end"] for r in to_book()] == ["2026-03-31"]

    def test_a_visit_that_still_stands_keeps_its_request_fulfilled(self, runtime, world, booked_from_plan, to_book):
        plan, item, _appointment = booked_from_plan
        deliver(runtime, plan_event(world, plan, 2, [activity(item)]))
        assert to_book() == [] and len(to_book(status="fulfilled")) == 1

    def test_a_deactivated_patients_requests_do_not_come_back(self, runtime, world, booked_from_plan, to_book):
        deliver(runtime, patient_event("patients.patient-updated", world.patient_id, revision=2, status="inactive"))
        assert to_book() == [] and len(to_book(status="withdrawn")) == 1

    def test_one_cancelled_session_of_a_course_leaves_the_course_fulfilled(self, runtime, world, client,
                                                                           coordinator, to_book):
        _plan, outcome = planned_course(runtime, world, client, coordinator)
        first = outcome["booked"][0]
        client.put(f"/appointments/{first['id']}/status", headers={**coordinator, "If-Match": '"1"'},
                   json={"status": "cancelled", "reason_code": "weather"})
        assert to_book() == [] and len(to_book(status="fulfilled")) == 1

    # Issue 25, item 3: every path by which a booked visit falls through puts it back on the list.
    def test_a_course_whose_every_session_is_cancelled_is_to_book_again(self, runtime, world, client,
                                                                        coordinator, to_book):
        _plan, outcome = planned_course(runtime, world, client, coordinator)
        for session in outcome["booked"]:
            client.put(f"/appointments/{session['id']}/status", headers={**coordinator, "If-Match": '"1"'},
                       json={"status": "cancelled", "reason_code": "patient-request"})
        (reopened,) = to_book()
        assert (reopened["kind"], reopened["series_id"]) == ("therapy", None)

    def test_a_cancelled_course_asked_for_again_by_the_plan_is_listed(self, runtime, world, client, coordinator,
                                                                      to_book):
        plan, outcome = planned_course(runtime, world, client, coordinator)
        for session in outcome["booked"]:
            client.put(f"/appointments/{session['id']}/status", headers={**coordinator, "If-Match": '"1"'},
                       json={"status": "entered-in-error"})
        item = outcome["booked"][0]["plan_activity_id"]
        deliver(runtime, plan_event(world, plan, 2, [activity(uuid.UUID(item), kind="therapy",
                                                              appointment_type_code="physical-therapy")]))
        assert [r["plan_activity_id"] for r in to_book()] == [item]

    def test_a_visit_entered_in_error_puts_its_request_back_on_the_list(self, client, coordinator,
                                                                       booked_from_plan, to_book):
        _plan, item, appointment = booked_from_plan
        client.put(f"/appointments/{appointment['id']}/status", headers={**coordinator, "If-Match": '"1"'},
                   json={"status": "entered-in-error"})
        assert [r["plan_activity_id"] for r in to_book()] == [str(item)]
