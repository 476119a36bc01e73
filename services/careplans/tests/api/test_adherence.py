"""Recording doses and reading adherence."""
import uuid
from datetime import timedelta

import pytest

from support import FUROSEMIDE, activity_of, create_plan, diet, medication, plan_body
from carebridge.testing import outbox


@pytest.fixture
def medicine(client, as_, team):
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("furosemide", FUROSEMIDE, status="in-progress"), diet()]))
    return activity_of(plan, "medication")


def dose(client, headers, activity, when, outcome="missed", **extra):
    body = {"activity_id": activity["id"], "outcome": outcome, "scheduled_for": when.isoformat(),
            "reported_by": "caregiver", **extra}
    return client.post("/adherence/doses", json=body, headers=headers)


def test_a_dose_is_recorded_with_who_reported_it(client, as_, medicine, clock, team):
    when = clock.now() - timedelta(hours=2)
    response = dose(client, as_("nurse"), medicine, when, outcome="taken",
                    taken_at=(when + timedelta(minutes=10)).isoformat())
    assert response.status_code == 201
    record = response.get_json()
    assert (record["outcome"], record["reported_by"], record["recorded_by"]) == ("taken", "caregiver",
                                                                                 str(team.nurse_id))
    assert record["patient_id"] == str(team.patient_id) and record["review_task_id"] is None


def test_missed_doses_over_the_threshold_open_one_adherence_review(client, as_, medicine, clock, runtime,
                                                                   team):
    now = clock.now()
    first, second = (dose(client, as_("nurse"), medicine, now - timedelta(days=d)).get_json() for d in (3, 2))
    assert first["review_task_id"] is None and second["review_task_id"] is None
    third = dose(client, as_("nurse"), medicine, now - timedelta(days=1)).get_json()
    assert third["review_task_id"] is not None
    fourth = dose(client, as_("nurse"), medicine, now - timedelta(hours=1)).get_json()
    assert fourth["review_task_id"] is None  # the review is still open
    task = client.get(f"/tasks/{third['review_task_id']}", headers=as_("coordinator")).get_json()
    assert (task["code"], task["priority"], task["owner_id"], task["focus_id"]) == (
        "adherence-review", "urgent", str(team.coordinator_id), medicine["id"])
    assert "furosemide" in task["reason"]
    assert [e.data["code"] for e in outbox(runtime, "careplans.task-assigned")] == ["adherence-review"]


def test_old_missed_doses_and_taken_ones_do_not_count(client, as_, medicine, clock):
    now = clock.now()
    for days in (20, 15, 10):
        dose(client, as_("nurse"), medicine, now - timedelta(days=days))
    dose(client, as_("nurse"), medicine, now - timedelta(days=1), outcome="taken")
    assert dose(client, as_("nurse"), medicine, now - timedelta(hours=5)).get_json()["review_task_id"] is None


def test_the_same_dose_twice_is_409(client, as_, medicine, clock):
    when = clock.now() - timedelta(hours=3)
    assert dose(client, as_("nurse"), medicine, when).status_code == 201
    assert dose(client, as_("nurse"), medicine, when, outcome="taken").status_code == 409


@pytest.mark.parametrize("change, field", [
    ({"outcome": "forgot"}, "outcome"), ({"reported_by": "neighbour"}, "reported_by"),
    ({"scheduled_for": "2026-03-01T08:00:00"}, "scheduled_for"), ({"activity_id": "x"}, "activity_id"),
])
def test_invalid_doses_are_422(client, as_, medicine, clock, change, field):
    body = {"activity_id": medicine["id"], "outcome": "taken", "scheduled_for": clock.now().isoformat(),
            "reported_by": "patient", **change}
    response = client.post("/adherence/doses", json=body, headers=as_("nurse"))
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_a_missed_dose_has_no_time_taken(client, as_, medicine, clock):
    response = dose(client, as_("nurse"), medicine, clock.now(), taken_at=clock.now().isoformat())
    assert response.status_code == 422 and "taken_at" in response.get_json()["errors"]


def test_doses_are_for_medications_of_a_known_plan(client, as_, team, clock):
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[diet()]))
    assert dose(client, as_("nurse"), activity_of(plan, "diet"), clock.now()).status_code == 422
    assert dose(client, as_("coordinator"), {"id": str(uuid.uuid4())}, clock.now()).status_code == 404
    # A nurse cannot tell a missing record from another patient's (issue 23).
    assert dose(client, as_("nurse"), {"id": str(uuid.uuid4())}, clock.now()).status_code == 403


def test_adherence_summary_and_dose_list(client, as_, medicine, clock, team):
    now = clock.now()
    for hours, outcome in ((72, "taken"), (48, "taken"), (24, "missed"), (12, "skipped")):
        dose(client, as_("nurse"), medicine, now - timedelta(hours=hours), outcome=outcome)
    summary = client.get(f"/adherence/summary?patient_id={team.patient_id}&days=7",
                         headers=as_("physician")).get_json()
    assert summary["medications"] == [{
        "activity_id": medicine["id"], "plan_id": summary["medications"][0]["plan_id"], "name": "furosemide",
        "taken": 2, "missed": 1, "skipped": 1, "adherence_percent": "66.7"}]
    doses = client.get(f"/adherence/doses?patient_id={team.patient_id}", headers=as_("nurse")).get_json()
    assert [d["outcome"] for d in doses["items"]] == ["skipped", "missed", "taken", "taken"]
    assert client.get("/adherence/doses", headers=as_("nurse")).status_code == 422
    assert client.get(f"/adherence/summary?patient_id={team.patient_id}&days=0",
                      headers=as_("nurse")).status_code == 422
