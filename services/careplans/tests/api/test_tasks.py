"""The coordinator worklist over HTTP."""
import uuid
from datetime import timedelta

import pytest

from carebridge.testing import audit_trail, care_team_event, care_team_member, deliver, outbox


def task_body(team, **extra):
    return {"patient_id": str(team.patient_id), "code": "general", "priority": "routine",
            "reason": "Confirm the pharmacy has the new prescription", **extra}


def open_task(client, headers, team, **extra):
    response = client.post("/tasks", json=task_body(team, **extra), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_task_without_owner_goes_to_the_lead_coordinator_and_is_announced(client, as_, team, runtime):
    response = client.post("/tasks", json=task_body(team, due_at="2026-03-03T17:00:00+00:00"),
                           headers=as_("nurse"))
    assert response.status_code == 201 and response.headers["ETag"] == '"1"'
    task = response.get_json()
    assert (task["owner_id"], task["requester_id"], task["status"]) == (
        str(team.coordinator_id), str(team.nurse_id), "requested")
    assert task["care_team_id"] == str(team.care_team_id) and task["overdue"] is False
    [event] = outbox(runtime, "careplans.task-assigned")
    assert (event.data["task_id"], event.data["owner_id"], event.data["previous_owner_id"]) == (
        task["id"], str(team.coordinator_id), None)
    assert "pharmacy" not in event.to_json()


def test_the_owner_must_be_on_the_patients_care_team(client, as_, team):
    response = client.post("/tasks", json=task_body(team, owner_id=str(team.outsider_id)), headers=as_("nurse"))
    assert response.status_code == 422 and "owner_id" in response.get_json()["errors"]
    assert open_task(client, as_("nurse"), team, owner_id=str(team.physician_id))["owner_id"] == str(
        team.physician_id)


@pytest.mark.parametrize("change, field", [
    ({"code": "laundry"}, "code"), ({"priority": "whenever"}, "priority"), ({"reason": ""}, "reason"),
    ({"due_at": "2026-03-03T17:00:00"}, "due_at"), ({"focus_type": "plan"}, "focus_id"),
    ({"patient_id": "x"}, "patient_id"),
])
def test_invalid_tasks_are_422(client, as_, team, change, field):
    response = client.post("/tasks", json=task_body(team, **change), headers=as_("coordinator"))
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_a_retried_create_with_the_same_key_opens_one_task(client, as_, team, runtime):
    headers = as_("coordinator", **{"Idempotency-Key": "task-retry-0001"})
    first = client.post("/tasks", json=task_body(team), headers=headers).get_json()
    assert client.post("/tasks", json=task_body(team), headers=headers).get_json()["id"] == first["id"]
    assert len(outbox(runtime, "careplans.task-assigned")) == 1


def test_worklist_filters(client, as_, team, clock, runtime):
    now = clock.now()
    mine = open_task(client, as_("nurse"), team, owner_id=str(team.nurse_id), priority="urgent",
                     due_at=(now + timedelta(hours=1)).isoformat())
    overdue = open_task(client, as_("nurse"), team, due_at=(now + timedelta(minutes=30)).isoformat(), priority="stat")
    later = open_task(client, as_("nurse"), team)
    clock.advance(minutes=1)
    other_patient = uuid.uuid4()
    stranger = open_task(client, as_("coordinator"), type(team)(**{**team.__dict__, "patient_id": other_patient}))
    clock.advance(minutes=44)

    def ids(query, who="coordinator"):
        return [t["id"] for t in client.get(f"/tasks?{query}", headers=as_(who)).get_json()["items"]]

    assert ids("") == [overdue["id"], mine["id"], later["id"], stranger["id"]]  # most pressing first
    assert ids("mine=true", "nurse") == [mine["id"]]
    assert ids("team=true", "nurse") == [overdue["id"], mine["id"], later["id"]]
    assert ids("team=true") == [overdue["id"], mine["id"], later["id"]]  # the lead coordinator is on the team
    assert ids("overdue=true") == [overdue["id"]]
    assert ids(f"patient_id={other_patient}") == [stranger["id"]]
    assert ids("priority=urgent&priority=stat") == [overdue["id"], mine["id"]]
    assert ids("unassigned=true") == [stranger["id"]]
    assert ids("", "outsider") == []
    assert client.get(f"/tasks/{overdue['id']}", headers=as_("coordinator")).get_json()["overdue"] is True


def test_a_worklist_search_is_audited_once(client, as_, team, runtime):
    open_task(client, as_("nurse"), team)
    before = len(audit_trail(runtime))
    client.get("/tasks?mine=true", headers=as_("coordinator"))
    client.get(f"/tasks?patient_id={team.patient_id}", headers=as_("coordinator"))
    # The worklist showed the task's patient; then the patient's own list.
    assert [(r["action"], r["patient_id"]) for r in audit_trail(runtime)[before:]] == [
        ("search", str(team.patient_id)), ("search", str(team.patient_id))]


@pytest.mark.parametrize("query", ["priority=soon", "status=done", "mine=perhaps", "patient_id=1"])
def test_bad_worklist_filters_are_422(client, as_, team, query):
    assert client.get(f"/tasks?{query}", headers=as_("coordinator")).status_code == 422


def reassign(client, headers, task, owner_id, reason="covering while on leave"):
    return client.put(f"/tasks/{task['id']}/owner", json={"owner_id": owner_id and str(owner_id), "reason": reason},
                      headers={**headers, "If-Match": f'"{task["version"]}"'})


def test_reassigning_records_why_and_tells_the_new_owner(client, as_, team, runtime):
    task = open_task(client, as_("nurse"), team)
    response = reassign(client, as_("coordinator"), task, team.nurse_id)
    assert response.status_code == 200 and response.get_json()["owner_id"] == str(team.nurse_id)
    event = outbox(runtime, "careplans.task-assigned")[-1]
    assert (event.data["owner_id"], event.data["previous_owner_id"]) == (str(team.nurse_id), str(team.coordinator_id))
    history = client.get(f"/tasks/{task['id']}/history", headers=as_("nurse")).get_json()
    assert [(h["action"], h["reason"]) for h in history] == [
        ("created", task["reason"]), ("reassigned", "covering while on leave")]
    assert history[1]["from_owner_id"] == str(team.coordinator_id)


def test_reassigning_needs_a_team_member_a_reason_and_the_current_etag(client, as_, team):
    task = open_task(client, as_("nurse"), team)
    assert reassign(client, as_("coordinator"), task, team.outsider_id).status_code == 422
    assert reassign(client, as_("coordinator"), task, team.coordinator_id).status_code == 409
    assert client.put(f"/tasks/{task['id']}/owner", json={"owner_id": str(team.nurse_id)},
                      headers=as_("coordinator", **{"If-Match": '"1"'})).status_code == 422
    assert client.put(f"/tasks/{task['id']}/owner", json={"owner_id": str(team.nurse_id), "reason": "x"},
                      headers=as_("coordinator")).status_code == 428
    assert reassign(client, as_("coordinator"), {**task, "version": 5}, team.nurse_id).status_code == 412


def test_unassigning_puts_the_task_back_in_the_queue(client, as_, team, runtime):
    task = open_task(client, as_("nurse"), team)
    assert reassign(client, as_("coordinator"), task, None).get_json()["owner_id"] is None
    assert len(outbox(runtime, "careplans.task-assigned")) == 1


def patch(client, headers, task, **changes):
    return client.patch(f"/tasks/{task['id']}", json=changes,
                        headers={**headers, "If-Match": f'"{task["version"]}"'})


def test_a_task_moves_through_its_statuses_and_closes(client, as_, team):
    task = open_task(client, as_("nurse"), team)
    task = patch(client, as_("coordinator"), task, status="in-progress").get_json()
    task = patch(client, as_("coordinator"), task, status="completed", status_reason="pharmacy confirmed").get_json()
    assert (task["status"], task["status_reason"], task["version"]) == ("completed", "pharmacy confirmed", 3)
    response = patch(client, as_("coordinator"), task, priority="stat")
    assert response.status_code == 409


def test_a_move_the_task_lifecycle_forbids_is_409(client, as_, team):
    task = open_task(client, as_("nurse"), team)
    task = patch(client, as_("coordinator"), task, status="accepted").get_json()
    response = patch(client, as_("coordinator"), task, status="failed")
    assert response.status_code == 409 and "in-progress" in response.get_json()["allowed"]


def test_task_updates_validate_and_need_if_match(client, as_, team):
    task = open_task(client, as_("nurse"), team)
    assert patch(client, as_("coordinator"), task).status_code == 422
    assert patch(client, as_("coordinator"), task, status="done").status_code == 422
    assert client.patch(f"/tasks/{task['id']}", json={"priority": "stat"},
                        headers=as_("coordinator")).status_code == 428
    assert patch(client, as_("coordinator"), {**task, "version": 3}, priority="stat").status_code == 412
    updated = patch(client, as_("coordinator"), task, priority="stat", note="call before noon").get_json()
    assert (updated["priority"], updated["note"]) == ("stat", "call before noon")


def test_unknown_task_is_404(client, as_, team):
    for path in ("", "/history"):
        assert client.get(f"/tasks/{uuid.uuid4()}{path}", headers=as_("coordinator")).status_code == 404


def test_when_the_team_gets_a_coordinator_unassigned_tasks_are_assigned(client, as_, team, runtime, clock):
    since = clock.now() - timedelta(days=1)
    deliver(runtime, care_team_event(team.patient_id, [care_team_member(team.nurse_id, "nurse", since=since)],
                                     care_team_id=team.care_team_id, revision=2))
    task = open_task(client, as_("nurse"), team)
    assert task["owner_id"] is None and outbox(runtime, "careplans.task-assigned") == []
    deliver(runtime, care_team_event(
        team.patient_id, [care_team_member(member, role, since=since) for member, role in team.roles.items()],
        care_team_id=team.care_team_id, revision=3, lead_coordinator_id=team.coordinator_id))
    assert client.get(f"/tasks/{task['id']}", headers=as_("nurse")).get_json()["owner_id"] == str(
        team.coordinator_id)
    [event] = outbox(runtime, "careplans.task-assigned")
    assert event.data["previous_owner_id"] is None


def test_a_task_about_another_patients_plan_or_team_is_refused(client, as_, team):
    from support import create_plan, plan_body
    other = create_plan(client, as_("coordinator"), plan_body(uuid.uuid4()))
    mine = create_plan(client, as_("coordinator"), plan_body(team.patient_id))
    for change, field in (({"plan_id": other["id"]}, "plan_id"),
                          ({"focus_type": "plan", "focus_id": other["id"]}, "focus_id"),
                          ({"focus_type": "activity", "focus_id": str(uuid.uuid4())}, "focus_id")):
        response = client.post("/tasks", json=task_body(team, **change), headers=as_("coordinator"))
        assert response.status_code == 422 and field in response.get_json()["errors"], change
    other_team = type(team)(**{**team.__dict__, "patient_id": uuid.uuid4()})
    response = client.post("/tasks", json=task_body(other_team, care_team_id=str(team.care_team_id)),
                           headers=as_("coordinator"))
    assert response.status_code == 422 and "care_team_id" in response.get_json()["errors"]
    assert open_task(client, as_("nurse"), team, plan_id=mine["id"], focus_type="plan",
                     focus_id=mine["id"])["plan_id"] == mine["id"]
