"""billing.prior-auth-decided / -expiring: the coordinator's task (issue 25, item 2)."""
import uuid
from datetime import date, timedelta

from sqlalchemy import select

from carebridge.testing import deliver, make_event, outbox
from carebridge_careplans.persistence.models import ParkedEvent, Task


def decided(patient_id, status="denied", affected=()):
    return make_event("billing.prior-auth-decided", {
        "prior_auth_id": uuid.uuid4(), "patient_id": patient_id, "service_code": "72148",
        "appointment_id": None, "status": status, "authorized_units": None, "expires_on": None,
        "reason_codes": ["50"], "affected_appointment_ids": list(affected)})


def expiring(patient_id, affected=()):
    return make_event("billing.prior-auth-expiring", {
        "prior_auth_id": uuid.uuid4(), "patient_id": patient_id, "service_code": "97110",
        "expires_on": date(2026, 3, 20), "units_remaining": 4, "affected_appointment_ids": list(affected)})


def tasks(runtime):
    with runtime.db.transaction() as session:
        return session.scalars(select(Task).where(Task.code == "prior-auth-follow-up")
                               .order_by(Task.created_at)).all()


def test_a_denial_opens_an_urgent_task_for_the_lead_coordinator_about_the_booked_visit(runtime, team, clock):
    visit = uuid.uuid4()
    event = decided(team.patient_id, affected=[visit])
    assert deliver(runtime, event) == "applied"
    [task] = tasks(runtime)
    assert (task.owner_id, task.priority, task.care_team_id) == (team.coordinator_id, "urgent", team.care_team_id)
    assert (task.focus_type, task.focus_id) == ("appointment", visit)
    assert task.due_at == clock.now() + timedelta(hours=24)
    assert "denied" in task.reason and "72148" in task.reason and "1 booked visit" in task.reason
    [assigned] = outbox(runtime, "careplans.task-assigned")
    assert assigned.data["code"] == "prior-auth-follow-up"
    deliver(runtime, make_event("billing.prior-auth-decided", event.data))  # the same word again
    assert len(tasks(runtime)) == 1


def test_an_approval_opens_nothing_and_expiry_warnings_open_a_routine_task(runtime, team):
    deliver(runtime, decided(team.patient_id, status="approved"))
    assert tasks(runtime) == []
    deliver(runtime, expiring(team.patient_id))
    [task] = tasks(runtime)
    assert task.priority == "routine" and "2026-03-20" in task.reason and task.focus_id is None


def test_an_expiry_with_visits_after_it_is_urgent(runtime, team):
    deliver(runtime, expiring(team.patient_id, affected=[uuid.uuid4(), uuid.uuid4()]))
    [task] = tasks(runtime)
    assert task.priority == "urgent" and "2 booked visits" in task.reason


def test_an_unknown_patient_is_parked(runtime):
    deliver(runtime, decided(uuid.uuid4(), status="expired"))
    with runtime.db.transaction() as session:
        [parked] = session.scalars(select(ParkedEvent)).all()
    assert parked.reason == "unknown-patient" and tasks(runtime) == []
