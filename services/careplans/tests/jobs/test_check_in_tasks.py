"""Check-in activities turn into check-in tasks when they fall due."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from support import activity_of, check_in, create_plan, plan_body
from carebridge.testing import outbox
from carebridge_careplans.jobs.check_in_tasks import CHECK_IN_TASKS
from carebridge_careplans.persistence.models import Task
from carebridge_careplans.service import SERVICE


@pytest.fixture
def plan(client, as_, team):
    return create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[check_in(days=7)]))


def check_in_tasks(runtime):
    with runtime.db.transaction() as session:
        return session.scalars(select(Task).where(Task.code == "check-in").order_by(Task.created_at)).all()


def test_the_sweep_is_a_job_of_the_service():
    assert CHECK_IN_TASKS in SERVICE.jobs


def test_a_check_in_task_opens_when_due_and_the_next_one_a_week_later(client, as_, team, plan, runtime,
                                                                      clock):
    clock.advance(days=6)
    assert CHECK_IN_TASKS.run(runtime) == 0
    clock.advance(days=1)
    assert CHECK_IN_TASKS.run(runtime) == 1 and CHECK_IN_TASKS.run(runtime) == 0
    [task] = check_in_tasks(runtime)
    assert (task.owner_id, task.focus_type, str(task.focus_id)) == (team.coordinator_id, "activity",
                                                                   activity_of(plan, "check-in")["id"])
    assert task.due_at == clock.now() + timedelta(days=1)
    assert outbox(runtime, "careplans.task-assigned")[-1].data["code"] == "check-in"
    client.patch(f"/tasks/{task.id}", json={"status": "completed"}, headers=as_("coordinator", **{"If-Match": '"1"'}))
    clock.advance(days=7)
    assert CHECK_IN_TASKS.run(runtime) == 1 and len(check_in_tasks(runtime)) == 2


def test_a_check_in_still_open_is_not_opened_twice(client, as_, team, plan, runtime, clock):
    clock.advance(days=7)
    CHECK_IN_TASKS.run(runtime)
    clock.advance(days=7)
    assert CHECK_IN_TASKS.run(runtime) == 0 and len(check_in_tasks(runtime)) == 1


def test_recording_the_check_in_closes_the_task(client, as_, team, plan, runtime, clock):
    clock.advance(days=7)
    CHECK_IN_TASKS.run(runtime)
    client.post("/check-ins", json={"patient_id": str(team.patient_id), "plan_id": plan["id"],
                                    "context": "routine", "contact_method": "phone", "reached": True},
                headers=as_("coordinator"))
    assert check_in_tasks(runtime)[0].status == "completed"


def test_plans_not_active_have_no_check_ins_due(client, as_, team, runtime, clock):
    create_plan(client, as_("coordinator"), plan_body(team.patient_id, status="draft", activities=[check_in()]))
    clock.advance(days=30)
    assert CHECK_IN_TASKS.run(runtime) == 0


def test_putting_the_plan_on_hold_stops_the_check_ins(client, as_, team, plan, runtime, clock):
    client.put(f"/care-plans/{plan['id']}/status", json={"status": "on-hold", "reason": "in hospital"},
               headers=as_("physician", **{"If-Match": '"1"'}))
    clock.advance(days=30)
    assert CHECK_IN_TASKS.run(runtime) == 0
