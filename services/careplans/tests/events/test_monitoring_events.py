"""Reactions to the monitoring service's alerts and triage calls, each from a real envelope."""
import uuid
from datetime import timedelta

from sqlalchemy import select

from carebridge.testing import care_team_event, deliver, make_event, outbox
from support import create_plan, follow_up, plan_body
from carebridge_careplans.persistence.models import ParkedEvent, Task


def alert_opened(team, clock, *, severity="urgent", rule_code="weight-gain-day", patient_id=None):
    return make_event("monitoring.alert-opened", {
        "alert_id": uuid.uuid4(), "enrolment_id": uuid.uuid4(), "patient_id": patient_id or team.patient_id,
        "rule_code": rule_code, "measure": "weight", "severity": severity,
        "reading_ids": [uuid.uuid4(), uuid.uuid4()], "opened_at": clock.now()})


def alert_closed(opened, clock, action_code="medication-adjusted"):
    return make_event("monitoring.alert-closed", {
        **{k: opened.data[k] for k in ("alert_id", "enrolment_id", "patient_id", "rule_code")},
        "reason": "action-recorded", "action_code": action_code, "closed_by": str(uuid.uuid4()),
        "closed_at": clock.now()})


def triage(team, clock, disposition, days=None):
    return make_event("monitoring.triage-recorded", {
        "triage_call_id": uuid.uuid4(), "patient_id": team.patient_id, "protocol_code": "chest-pain",
        "disposition": disposition, "book_within_days": days, "nurse_id": team.nurse_id,
        "called_at": clock.now()})


def tasks(runtime):
    with runtime.db.transaction() as session:
        return session.scalars(select(Task).order_by(Task.created_at)).all()


def test_an_alert_opens_an_urgent_task_for_the_teams_nurse_with_its_readings(runtime, team, clock):
    event = alert_opened(team, clock)
    assert deliver(runtime, event) == "applied"
    [task] = tasks(runtime)
    assert (task.owner_id, task.code, task.priority, task.status) == (team.nurse_id, "outreach", "urgent", "requested")
    assert task.due_at == clock.now() + timedelta(hours=4)
    assert "weight gain day" in task.reason
    assert all(str(reading_id) in task.note for reading_id in event.data["reading_ids"])
    [assigned] = outbox(runtime, "careplans.task-assigned")
    assert assigned.data["owner_id"] == str(team.nurse_id) and assigned.data["priority"] == "urgent"
    # A redelivery, or the same alert again, opens nothing more.
    deliver(runtime, make_event("monitoring.alert-opened", event.data))
    assert len(tasks(runtime)) == 1


def test_a_critical_alert_is_due_within_the_hour_and_immediate(runtime, team, clock):
    deliver(runtime, alert_opened(team, clock, severity="critical", rule_code="spo2-critical-low"))
    [task] = tasks(runtime)
    assert (task.priority, task.due_at) == ("stat", clock.now() + timedelta(hours=1))


def test_without_a_nurse_the_lead_coordinator_owns_it(runtime, team, clock):
    deliver(runtime, care_team_event(team.patient_id, {team.coordinator_id: "coordinator"},
                                     care_team_id=team.care_team_id, revision=2,
                                     lead_coordinator_id=team.coordinator_id))
    deliver(runtime, alert_opened(team, clock))
    assert tasks(runtime)[0].owner_id == team.coordinator_id


def test_the_closed_alert_completes_its_task(runtime, team, clock):
    opened = alert_opened(team, clock)
    deliver(runtime, opened)
    clock.advance(minutes=40)
    assert deliver(runtime, alert_closed(opened, clock)) == "applied"
    [task] = tasks(runtime)
    assert task.status == "completed" and "medication adjusted" in task.status_reason
    # Closing an alert whose task is gone (or never was) is harmless.
    assert deliver(runtime, alert_closed(alert_opened(team, clock), clock)) == "applied"


def test_an_alert_for_a_patient_not_known_yet_is_parked(runtime, clock, team):
    stranger = uuid.uuid4()
    deliver(runtime, alert_opened(team, clock, patient_id=stranger))
    assert tasks(runtime) == []
    with runtime.db.transaction() as session:
        assert [p.reason for p in session.scalars(select(ParkedEvent))] == ["unknown-patient"]


def test_emergency_and_same_day_triage_open_urgent_tasks_and_home_care_does_not(runtime, team, clock):
    deliver(runtime, triage(team, clock, "home-care"))
    assert tasks(runtime) == []
    deliver(runtime, triage(team, clock, "emergency"))
    clock.advance(minutes=1)
    deliver(runtime, triage(team, clock, "same-day"))
    emergency, same_day = tasks(runtime)
    assert (emergency.code, emergency.priority, emergency.owner_id) == ("outreach", "stat", team.nurse_id)
    assert (same_day.code, same_day.priority) == ("follow-up-booking", "urgent")
    assert same_day.due_at == clock.now() + timedelta(hours=4)


def test_book_within_days_adds_a_follow_up_to_the_active_plan_for_the_to_book_list(runtime, client, as_, team,
                                                                                  clock):
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[follow_up()]))
    event = triage(team, clock, "book-within-days", days=3)
    assert deliver(runtime, event) == "applied"
    updated = outbox(runtime, "careplans.plan-updated")[-1]
    assert updated.data["plan_id"] == plan["id"] and updated.causation_id == str(event.id)
    assert updated.data["patient_facing"] is False
    [to_book] = [a for a in updated.data["activities_to_schedule"]
                 if a["window_end"] == (clock.now().date() + timedelta(days=3)).isoformat()]
    assert (to_book["kind"], to_book["appointment_type_code"], to_book["status"]) == (
        "follow-up", "follow-up", "not-started")
    assert to_book["window_start"] == clock.now().date().isoformat()
    assert tasks(runtime) == []


def test_book_within_days_without_an_active_plan_is_a_booking_task_for_the_coordinator(runtime, team, clock):
    deliver(runtime, triage(team, clock, "book-within-days", days=2))
    [task] = tasks(runtime)
    assert (task.code, task.owner_id) == ("follow-up-booking", team.coordinator_id)
    assert (clock.now().date() + timedelta(days=2)).isoformat() in task.reason
