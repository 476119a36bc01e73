"""Check-ins and progress notes."""
import uuid
from datetime import timedelta

import pytest

from support import activity_of, check_in, create_plan, goal, plan_body
from carebridge.testing import outbox
from carebridge_careplans.persistence.models import PlanActivity


@pytest.fixture
def plan(client, as_, team):
    return create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[check_in()],
                                                             goals=[goal(), goal("Walk daily")]))


def check_in_body(team, **extra):
    return {"patient_id": str(team.patient_id), "context": "after-visit", "contact_method": "phone",
            "reached": True, "overall": "improving", "summary": "Feeling better, less swelling",
            "barriers": ["transportation"], **extra}


def test_a_check_in_moves_its_goals_in_a_new_plan_version(client, as_, team, plan, runtime):
    goal_id = plan["goals"][0]["id"]
    response = client.post("/check-ins", json=check_in_body(team, plan_id=plan["id"], goal_progress=[
        {"goal_id": goal_id, "achievement_status": "improving", "note": "weight stable"}]), headers=as_("coordinator"))
    assert response.status_code == 201
    recorded = response.get_json()
    assert recorded["barriers"] == ["transportation"] and recorded["recorded_by"] == str(team.coordinator_id)
    assert recorded["goal_progress"] == [{"goal_id": goal_id, "achievement_status": "improving",
                                          "note": "weight stable"}]
    current = client.get(f"/care-plans/{plan['id']}", headers=as_("nurse")).get_json()
    assert current["version"] == 2 and current["goals"][0]["achievement_status"] == "improving"
    event = outbox(runtime, "careplans.plan-updated")[-1]
    assert (event.data["changed_sections"], event.data["patient_facing"]) == (["goals"], False)
    assert client.get(f"/check-ins/{recorded['id']}", headers=as_("nurse")).get_json() == recorded


def test_reaching_the_patient_completes_the_check_in_task(client, as_, team, plan):
    task = client.post("/tasks", json={"patient_id": str(team.patient_id), "code": "check-in",
                                       "reason": "after discharge"}, headers=as_("nurse")).get_json()
    client.post("/check-ins", json=check_in_body(team, task_id=task["id"], reached=False), headers=as_("coordinator"))
    assert client.get(f"/tasks/{task['id']}", headers=as_("nurse")).get_json()["status"] == "requested"
    client.post("/check-ins", json=check_in_body(team, task_id=task["id"]), headers=as_("coordinator"))
    assert client.get(f"/tasks/{task['id']}", headers=as_("nurse")).get_json()["status"] == "completed"


@pytest.mark.parametrize("change, field", [
    ({"context": "whenever"}, "context"), ({"contact_method": "pigeon"}, "contact_method"),
    ({"reached": None}, "reached"), ({"barriers": ["weather"]}, "barriers"),
    ({"goal_progress": [{"goal_id": "x", "achievement_status": "improving"}]}, "goal_progress"),
    ({"plan_id": "<other>"}, "plan_id"), ({"task_id": "<unknown>"}, "task_id"),
    ({"goal_progress": [{"goal_id": "<unknown>", "achievement_status": "improving"}], "plan_id": "<plan>"},
     "goal_progress.0.goal_id"),
    ({"goal_progress": [{"goal_id": "<unknown>", "achievement_status": "improving"}]}, "plan_id"),
])
def test_invalid_check_ins_are_422_and_record_nothing(client, as_, team, plan, change, field):
    other = create_plan(client, as_("coordinator"), plan_body(uuid.uuid4()))
    values = {"<other>": other["id"], "<unknown>": str(uuid.uuid4()), "<plan>": plan["id"]}
    change = {k: ([{**p, "goal_id": values.get(p["goal_id"], p["goal_id"])} for p in v] if k == "goal_progress"
                  else values.get(v, v) if isinstance(v, str) else v) for k, v in change.items()}
    response = client.post("/check-ins", json=check_in_body(team, **change), headers=as_("coordinator"))
    assert response.status_code == 422 and field in response.get_json()["errors"]
    assert client.get(f"/check-ins?patient_id={team.patient_id}", headers=as_("nurse")).get_json()["total"] == 0


def test_goals_of_a_closed_plan_no_longer_move(client, as_, team, plan):
    client.put(f"/care-plans/{plan['id']}/status", json={"status": "completed", "reason": "done"},
               headers=as_("physician", **{"If-Match": '"1"'}))
    response = client.post("/check-ins", json=check_in_body(team, plan_id=plan["id"], goal_progress=[
        {"goal_id": plan["goals"][0]["id"], "achievement_status": "achieved"}]), headers=as_("coordinator"))
    assert response.status_code == 409


def test_check_ins_are_listed_per_patient_and_plan(client, as_, team, plan):
    client.post("/check-ins", json=check_in_body(team, plan_id=plan["id"]), headers=as_("coordinator"))
    client.post("/check-ins", json=check_in_body(team, context="routine"), headers=as_("nurse"))
    listed = client.get(f"/check-ins?patient_id={team.patient_id}", headers=as_("nurse")).get_json()
    assert listed["total"] == 2
    only_plan = client.get(f"/check-ins?patient_id={team.patient_id}&plan_id={plan['id']}",
                           headers=as_("nurse")).get_json()
    assert [c["context"] for c in only_plan["items"]] == ["after-visit"]
    assert client.get(f"/check-ins/{uuid.uuid4()}", headers=as_("coordinator")).status_code == 404


def test_a_check_in_restarts_the_check_in_clock(client, as_, team, plan, runtime, clock):
    activity_id = uuid.UUID(activity_of(plan, "check-in")["id"])
    with runtime.db.transaction() as session:
        assert session.get(PlanActivity, activity_id).next_check_in_at == clock.now() + timedelta(days=7)
    clock.advance(days=3)
    client.post("/check-ins", json=check_in_body(team, plan_id=plan["id"]), headers=as_("coordinator"))
    with runtime.db.transaction() as session:
        assert session.get(PlanActivity, activity_id).next_check_in_at == clock.now() + timedelta(days=7)


class TestAWorseCheckIn:
    """Issue 25, item 4: a check-in recorded as worse opens an urgent task for the team's nurse."""

    def test_opens_an_urgent_task_for_the_teams_nurse(self, client, as_, team, plan, runtime, clock):
        client.post("/check-ins", json=check_in_body(team, plan_id=plan["id"], overall="worsening"),
                    headers=as_("coordinator"))
        tasks = client.get(f"/tasks?patient_id={team.patient_id}", headers=as_("nurse")).get_json()["items"]
        [review] = [t for t in tasks if t["priority"] == "urgent"]
        assert review["owner_id"] == str(team.nurse_id) and "worse" in review["reason"]
        assert review["due_at"] == (clock.now() + timedelta(hours=4)).isoformat()
        assigned = outbox(runtime, "careplans.task-assigned")[-1]
        assert (assigned.data["owner_id"], assigned.data["priority"]) == (str(team.nurse_id), "urgent")

    def test_a_second_worse_check_in_while_the_review_is_open_adds_none(self, client, as_, team, plan):
        for _ in range(2):
            client.post("/check-ins", json=check_in_body(team, overall="worsening"), headers=as_("coordinator"))
        tasks = client.get(f"/tasks?patient_id={team.patient_id}", headers=as_("nurse")).get_json()["items"]
        assert len([t for t in tasks if t["priority"] == "urgent"]) == 1

    @pytest.mark.parametrize("overall", ["improving", "stable", "unknown", None])
    def test_other_answers_open_nothing(self, client, as_, team, plan, overall):
        client.post("/check-ins", json=check_in_body(team, overall=overall), headers=as_("coordinator"))
        assert client.get(f"/tasks?patient_id={team.patient_id}", headers=as_("nurse")).get_json()["total"] == 0
