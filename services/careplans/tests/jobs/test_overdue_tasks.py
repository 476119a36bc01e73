"""The overdue sweep: task-overdue once per task, whatever runs it."""
import threading
from datetime import timedelta

from carebridge.testing import outbox
from carebridge_careplans.jobs.overdue_tasks import OVERDUE_TASKS
from carebridge_careplans.service import SERVICE


def open_task(client, as_, team, due_at, **extra):
    body = {"patient_id": str(team.patient_id), "code": "outreach", "priority": "urgent", "reason": "call",
            "due_at": due_at.isoformat(), **extra}
    return client.post("/tasks", json=body, headers=as_("coordinator")).get_json()


def test_the_sweep_is_a_job_of_the_service():
    assert OVERDUE_TASKS in SERVICE.jobs and OVERDUE_TASKS.every == 60


def test_an_overdue_task_is_announced_once(client, as_, team, runtime, clock):
    task = open_task(client, as_, team, clock.now() + timedelta(hours=2))
    assert OVERDUE_TASKS.run(runtime) == 0
    clock.advance(hours=2, seconds=1)
    assert OVERDUE_TASKS.run(runtime) == 1
    assert OVERDUE_TASKS.run(runtime) == 0
    [event] = outbox(runtime, "careplans.task-overdue")
    assert (event.data["task_id"], event.data["owner_id"], event.data["priority"]) == (
        task["id"], str(team.coordinator_id), "urgent")
    assert client.get(f"/tasks/{task['id']}", headers=as_("coordinator")).get_json()["overdue"] is True


def test_closed_and_undated_tasks_are_never_overdue(client, as_, team, runtime, clock):
    task = open_task(client, as_, team, clock.now() + timedelta(minutes=5))
    client.patch(f"/tasks/{task['id']}", json={"status": "completed"},
                 headers=as_("coordinator", **{"If-Match": '"1"'}))
    client.post("/tasks", json={"patient_id": str(team.patient_id), "code": "general", "reason": "no rush"},
                headers=as_("coordinator"))
    clock.advance(days=30)
    assert OVERDUE_TASKS.run(runtime) == 0 and outbox(runtime, "careplans.task-overdue") == []


def test_an_unassigned_task_is_announced_once_it_has_an_owner(client, as_, team, runtime, clock):
    task = open_task(client, as_, team, clock.now() + timedelta(minutes=5))
    client.put(f"/tasks/{task['id']}/owner", json={"owner_id": None, "reason": "nobody free"},
               headers=as_("coordinator", **{"If-Match": '"1"'}))
    clock.advance(hours=1)
    assert OVERDUE_TASKS.run(runtime) == 0
    client.put(f"/tasks/{task['id']}/owner", json={"owner_id": str(team.nurse_id), "reason": "nurse takes it"},
               headers=as_("coordinator", **{"If-Match": '"2"'}))
    assert OVERDUE_TASKS.run(runtime) == 1
    assert outbox(runtime, "careplans.task-overdue")[0].data["owner_id"] == str(team.nurse_id)


def test_two_workers_sweeping_at_once_announce_each_task_once(client, as_, team, runtime, clock):
    tasks = [open_task(client, as_, team, clock.now() + timedelta(minutes=m)) for m in range(1, 6)]
    clock.advance(hours=1)
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            start.wait()
            results.append(OVERDUE_TASKS.run(runtime))
        except Exception as error:  # surfaced below; a thread would swallow it
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and sum(results) == len(tasks)
    announced = [e.data["task_id"] for e in outbox(runtime, "careplans.task-overdue")]
    assert sorted(announced) == sorted(t["id"] for t in tasks)


def test_a_quiet_run_writes_nothing(runtime, clock, caplog):
    with caplog.at_level("INFO"):
        assert OVERDUE_TASKS.run(runtime) == 0
    assert [r for r in caplog.records if r.name.startswith("carebridge_careplans")] == []
    assert outbox(runtime) == []
