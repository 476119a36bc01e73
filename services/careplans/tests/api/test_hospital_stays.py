"""Hospital stays: a discharge opens the post-discharge check-in (within 48
hours) and a medication reconciliation (issue 25, item 5)."""
from datetime import timedelta

from carebridge.testing import assert_problem, audit_trail, outbox


def stay_body(team, clock, **extra):
    return {"patient_id": str(team.patient_id), "facility": "Riverside General",
            "admitted_at": (clock.now() - timedelta(days=4)).isoformat(), **extra}


def open_tasks(client, as_, team):
    return client.get(f"/tasks?patient_id={team.patient_id}", headers=as_("coordinator")).get_json()["items"]


def test_a_discharge_opens_the_check_in_and_the_medication_reconciliation(client, as_, team, clock, runtime):
    stay = client.post("/hospital-stays", json=stay_body(team, clock), headers=as_("coordinator")).get_json()
    assert stay["discharged_at"] is None and open_tasks(client, as_, team) == []
    discharged_at = clock.now() - timedelta(hours=2)
    response = client.post(f"/hospital-stays/{stay['id']}/discharge", headers=as_("nurse"),
                           json={"discharged_at": discharged_at.isoformat(), "discharge_disposition": "home"})
    assert response.status_code == 200 and response.get_json()["discharge_disposition"] == "home"
    tasks = {t["code"]: t for t in open_tasks(client, as_, team)}
    assert set(tasks) == {"check-in", "medication-review"}
    assert tasks["check-in"]["owner_id"] == str(team.coordinator_id)
    assert tasks["check-in"]["due_at"] == (discharged_at + timedelta(hours=48)).isoformat()
    assert "hospital stay" in tasks["check-in"]["reason"]
    assert tasks["medication-review"]["owner_id"] == str(team.nurse_id)
    assert {e.data["code"] for e in outbox(runtime, "careplans.task-assigned")} == {"check-in", "medication-review"}
    assert [(r["action"], r["resource_type"]) for r in audit_trail(runtime) if r["resource_type"] == "hospital-stay"] \
        == [("create", "hospital-stay"), ("update", "hospital-stay")]


def test_a_stay_recorded_after_the_discharge_opens_the_work_once(client, as_, team, clock):
    body = stay_body(team, clock, discharged_at=(clock.now() - timedelta(days=1)).isoformat())
    stay = client.post("/hospital-stays", json=body, headers=as_("coordinator")).get_json()
    assert len(open_tasks(client, as_, team)) == 2
    again = client.post(f"/hospital-stays/{stay['id']}/discharge", headers=as_("coordinator"),
                        json={"discharged_at": clock.now().isoformat()})
    assert_problem(again, 409)
    assert len(open_tasks(client, as_, team)) == 2


def test_a_check_in_after_the_stay_completes_its_task(client, as_, team, clock):
    body = stay_body(team, clock, discharged_at=(clock.now() - timedelta(days=1)).isoformat())
    client.post("/hospital-stays", json=body, headers=as_("coordinator"))
    [task] = [t for t in open_tasks(client, as_, team) if t["code"] == "check-in"]
    client.post("/check-ins", headers=as_("coordinator"), json={
        "patient_id": str(team.patient_id), "task_id": task["id"], "context": "after-hospital-stay",
        "contact_method": "phone", "reached": True, "overall": "stable"})
    assert client.get(f"/tasks/{task['id']}", headers=as_("coordinator")).get_json()["status"] == "completed"


def test_bad_stays_are_refused_and_outsiders_kept_out(client, as_, team, clock):
    future = stay_body(team, clock, admitted_at=(clock.now() + timedelta(days=1)).isoformat())
    assert "admitted_at" in assert_problem(client.post("/hospital-stays", json=future,
                                                       headers=as_("coordinator")), 422)["errors"]
    before = stay_body(team, clock, discharged_at=(clock.now() - timedelta(days=9)).isoformat())
    assert "discharged_at" in assert_problem(client.post("/hospital-stays", json=before,
                                                         headers=as_("coordinator")), 422)["errors"]
    assert_problem(client.post("/hospital-stays", json=stay_body(team, clock), headers=as_("outsider")), 403)
    assert open_tasks(client, as_, team) == []
