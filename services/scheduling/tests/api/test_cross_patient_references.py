"""A booking or waitlist entry names only a care plan (and plan activity) of
its own patient: the freed slot of a waitlist was once booked for patient B
with patient A's plan, and careplans then opened a check-in task for B on
A's plan."""
import uuid
from datetime import datetime

import pytest

from carebridge.testing import assert_problem, deliver, make_event
from support import register_patient

START = datetime.fromisoformat("2026-03-10T14:00:00+00:00")


def plan_of(runtime, patient_id, *activities):
    """A plan of `patient_id` scheduling has heard of (its event applied)."""
    plan = uuid.uuid4()
    deliver(runtime, make_event("careplans.plan-updated", {
        "plan_id": plan, "patient_id": patient_id, "version": 1, "status": "active",
        "changed_sections": ["activities"], "patient_facing": True, "activities_to_schedule": [
            {"activity_id": a, "kind": "follow-up", "status": "not-started", "appointment_type_code": "follow-up"}
            for a in activities]}))
    return plan


@pytest.fixture
def other_patient(runtime):
    return register_patient(runtime)


def waitlist(client, coordinator, world, **links):
    return client.post("/waitlist", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "follow-up", "wanted_before": "2026-03-25T00:00:00Z",
        **{k: str(v) for k, v in links.items()}})


def booking(client, coordinator, world, **links):
    return client.post("/appointments", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "follow-up", "start": START.isoformat(), **{k: str(v) for k, v in links.items()}})


def test_a_waitlist_entry_cannot_name_another_patients_care_plan(client, coordinator, world, runtime,
                                                                other_patient):
    plan = plan_of(runtime, other_patient)
    body = assert_problem(waitlist(client, coordinator, world, care_plan_id=plan), 422)
    assert body["errors"] == {"care_plan_id": ["not a care plan of this patient"]}


def test_a_waitlist_entry_cannot_name_another_patients_plan_activity(client, coordinator, world, runtime,
                                                                    other_patient):
    activity = uuid.uuid4()
    plan = plan_of(runtime, other_patient, activity)
    assert_problem(waitlist(client, coordinator, world, plan_activity_id=activity), 422)
    assert_problem(waitlist(client, coordinator, world, care_plan_id=plan, plan_activity_id=activity), 422)
    own = plan_of(runtime, world.patient_id)
    assert_problem(waitlist(client, coordinator, world, care_plan_id=own, plan_activity_id=activity), 422)


def test_a_booking_cannot_name_another_patients_care_plan_even_without_an_activity(client, coordinator, world,
                                                                                  runtime, other_patient):
    plan = plan_of(runtime, other_patient)
    body = assert_problem(booking(client, coordinator, world, care_plan_id=plan), 422)
    assert body["errors"] == {"care_plan_id": ["not a care plan of this patient"]}
    recurring = client.post("/appointments/recurring", headers=coordinator, json={
        "patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
        "appointment_type_code": "follow-up", "first_day": "2026-03-09", "weeks": 1,
        "sessions": [{"weekday": "monday", "at": "10:00"}], "care_plan_id": str(plan)})
    assert_problem(recurring, 422)


def test_a_plan_scheduling_has_not_heard_of_is_checked_with_careplans(client, coordinator, world, patients_api,
                                                                     other_patient):
    theirs, unknown, ours, activity = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    patients_api.care_plans[str(theirs)] = {"id": str(theirs), "patient_id": str(other_patient), "activities": []}
    patients_api.care_plans[str(ours)] = {"id": str(ours), "patient_id": str(world.patient_id),
                                          "activities": [{"id": str(activity)}]}
    assert_problem(booking(client, coordinator, world, care_plan_id=theirs), 422)
    body = assert_problem(waitlist(client, coordinator, world, care_plan_id=unknown), 422)
    assert body["errors"] == {"care_plan_id": ["unknown care plan"]}
    assert_problem(waitlist(client, coordinator, world, care_plan_id=ours, plan_activity_id=uuid.uuid4()), 422)
    assert waitlist(client, coordinator, world, care_plan_id=ours, plan_activity_id=activity).status_code == 201
    patients_api.failing = True
    assert_problem(booking(client, coordinator, world, care_plan_id=uuid.uuid4()), 503)


def test_the_patients_own_plan_is_accepted(client, coordinator, world, runtime):
    activity = uuid.uuid4()
    plan = plan_of(runtime, world.patient_id, activity)
    entry = waitlist(client, coordinator, world, care_plan_id=plan)
    assert entry.status_code == 201 and entry.get_json()["care_plan_id"] == str(plan)
    appointment = booking(client, coordinator, world, care_plan_id=plan, plan_activity_id=activity)
    assert appointment.status_code == 201, appointment.get_json()
