"""Answers from the secure message page and messages nobody received
become tasks for the coordinator, each from a real envelope."""
import uuid
from datetime import timedelta

from sqlalchemy import select

from carebridge.testing import deliver, make_event, outbox
from carebridge_careplans.persistence.models import ParkedEvent, Task


def tasks_of(runtime, code):
    with runtime.db.transaction() as session:
        return session.scalars(select(Task).where(Task.code == code).order_by(Task.created_at)).all()


def answered(team, clock, answer, appointment_id=None, recipient_type="patient"):
    return make_event("notifications.appointment-answered", {
        "answer_id": uuid.uuid4(), "notification_id": uuid.uuid4(), "appointment_id": appointment_id or uuid.uuid4(),
        "patient_id": team.patient_id, "recipient_type": recipient_type, "recipient_id": uuid.uuid4(),
        "answer": answer, "answered_at": clock.now()})


def failed(patient_id, recipient_type="patient", channel="email", recipient_id=None,
           reason="smtp-recipient-refused-550"):
    return make_event("notifications.delivery-failed", {
        "delivery_id": uuid.uuid4(), "notification_id": uuid.uuid4(), "source_event_id": uuid.uuid4(),
        "source_event_type": "scheduling.appointment-reminder-due", "patient_id": patient_id,
        "recipient_type": recipient_type, "recipient_id": recipient_id or uuid.uuid4(), "channel": channel,
        "attempts": 1, "reason": reason})


def test_a_request_for_another_time_is_a_rebook_task_for_the_lead_coordinator_once(runtime, team, clock):
    event = answered(team, clock, "reschedule", recipient_type="related-person")
    assert deliver(runtime, event) == "applied"
    assert deliver(runtime, answered(team, clock, "reschedule", event.data["appointment_id"])) == "applied"
    [task] = tasks_of(runtime, "rebook")
    assert (task.owner_id, task.status, task.focus_type) == (team.coordinator_id, "requested", "appointment")
    assert str(task.focus_id) == str(event.data["appointment_id"])
    assert task.reason.startswith("A family member of the patient asked for another time")
    assert task.due_at == clock.now() + timedelta(hours=24)
    [assigned] = outbox(runtime, "careplans.task-assigned")
    assert assigned.data["code"] == "rebook" and assigned.causation_id == str(event.id)


def test_confirmations_and_cancellations_open_no_task(runtime, team, clock):
    for answer in ("confirm", "cancel"):
        assert deliver(runtime, answered(team, clock, answer)) == "applied"
    assert tasks_of(runtime, "rebook") == []


def test_a_message_to_the_patient_that_failed_for_good_opens_an_unreachable_task(runtime, team, clock):
    person = uuid.uuid4()
    assert deliver(runtime, failed(team.patient_id, recipient_id=person)) == "applied"
    assert deliver(runtime, failed(team.patient_id, recipient_id=person)) == "applied"  # another bounce
    [task] = tasks_of(runtime, "outreach")
    assert (task.owner_id, task.priority) == (team.coordinator_id, "urgent")
    assert task.reason.startswith("Patient unreachable: the email to the patient failed for good")
    assert "@" not in task.reason


def test_a_letter_carebridge_could_not_write_does_not_send_the_coordinator_to_the_contact_details(
        runtime, team, clock):
    event = failed(team.patient_id, recipient_type="related-person", reason="message-not-written-UndefinedError")
    assert deliver(runtime, event) == "applied"
    [task] = tasks_of(runtime, "outreach")
    assert task.reason.startswith("Patient not reached: the email to the family member could not be written "
                                  "(message-not-written-UndefinedError) and was not sent.")
    assert "Check the contact details" not in task.reason


def test_staff_and_webhook_failures_are_not_about_reaching_the_patient(runtime, team, clock):
    deliver(runtime, failed(team.patient_id, recipient_type="practitioner"))
    deliver(runtime, failed(team.patient_id, recipient_type="webhook", channel="webhook"))
    assert tasks_of(runtime, "outreach") == []


def test_news_about_an_unknown_patient_is_parked(runtime, clock):
    deliver(runtime, failed(uuid.uuid4()))
    with runtime.db.transaction() as session:
        [row] = session.scalars(select(ParkedEvent)).all()
    assert row.reason == "unknown-patient"


def check_in_answered(team, clock, feeling, has_comment=False):
    return make_event("notifications.check-in-answered", {
        "answer_id": uuid.uuid4(), "notification_id": uuid.uuid4(), "patient_id": team.patient_id,
        "task_id": uuid.uuid4(), "recipient_type": "patient", "recipient_id": team.patient_id,
        "feeling": feeling, "has_comment": has_comment, "answered_at": clock.now()})


def test_a_patient_who_feels_worse_gets_an_urgent_check_in_task(runtime, team, clock):
    for feeling in ("better", "same"):
        assert deliver(runtime, check_in_answered(team, clock, feeling)) == "applied"
    assert tasks_of(runtime, "check-in") == []
    assert deliver(runtime, check_in_answered(team, clock, "worse", has_comment=True)) == "applied"
    [task] = tasks_of(runtime, "check-in")
    assert (task.owner_id, task.priority, task.due_at) == (team.coordinator_id, "urgent", clock.now())
    assert task.reason.startswith("The patient says they feel worse")
    assert task.reason.endswith("Call them today. They also wrote a comment.")
