"""A letter that cannot be written fails its own delivery, not the sender.

The production case (fixed in the template by a0d7307): the rescheduled
visit's letter asked for a `telehealth` flag only booked events carry; under
StrictUndefined it raised, the exception left the delivery job, and the job
failed on every run with nothing sent to anyone. Here a stored message's
facts lack a field its letter needs, the same mismatch between a template
and what an event type carries: that delivery alone fails, for good (the
same code fails the same way on every attempt), announced as
`notifications.delivery-failed` so that careplans opens a task for the care
team, while every other due delivery goes out in the same run."""
import logging

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from carebridge.logs import JsonFormatter
from carebridge.runtime.worker import Worker
from carebridge.testing import outbox, wait_for
from carebridge_notifications.jobs.deliveries import send_due_deliveries
from carebridge_notifications.persistence.notifications import Delivery, Notification
from support import deliveries, notifications, runtime_settings_for

# The fact the booked visit's letter names the visit by.
MISSING_FACT = "appointment_type_code"


@pytest.fixture
def runtime_settings(tmp_path, smtp_server):
    return runtime_settings_for(
        tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port), SMTP_FROM="care@carebridge.example",
        DELIVERY_MAX_ATTEMPTS="3", DELIVERY_RETRY_BASE_SECONDS="30")


def drop_fact(runtime, notification_id, name):
    with runtime.db.transaction() as session:
        notification = session.get(Notification, notification_id)
        facts = {key: value for key, value in notification.payload["facts"].items() if key != name}
        notification.payload = {**notification.payload, "facts": facts}


@pytest.fixture
def unwritable(runtime, world):
    """A booked visit whose letter to the patient cannot be written, queued
    with good deliveries: the same letter to the consenting daughter, and a
    missed visit's letters and staff emails."""
    news, no_show = world.booked(code="mri-lumbar-spine"), world.missed()
    world.deliver(news, no_show)
    patient_note = next(n for n in notifications(runtime, news.id) if n.recipient_type == "patient")
    drop_fact(runtime, patient_note.id, MISSING_FACT)
    with runtime.db.transaction() as session:
        bad = session.scalars(select(Delivery).where(Delivery.notification_id == patient_note.id,
                                                     Delivery.channel == "email")).one()
    return news, patient_note, bad.id


def delivery(runtime, delivery_id):
    return next(d for d in deliveries(runtime) if d.id == delivery_id)


def test_the_others_go_out_and_the_bad_one_fails_for_good_with_its_reason(runtime, world, smtp_server, clock,
                                                                          unwritable, caplog):
    news, patient_note, bad_id = unwritable
    with caplog.at_level(logging.DEBUG, logger="carebridge"), \
            caplog.at_level(logging.DEBUG, logger="carebridge_notifications"):
        send_due_deliveries(runtime)  # does not raise

    # Everyone else was told, in the same run.
    assert [m["Subject"] for m in smtp_server.to("pat@example.org")] == ["We missed you at your visit"]
    assert sorted(m["Subject"] for m in smtp_server.to("family@example.org")) == [
        "A visit is booked for the person you support", "The person you support missed a visit"]
    assert smtp_server.to("nurse@example.org") and smtp_server.to("coord@example.org")
    pending_or_failed = {(d.status, d.last_error) for d in deliveries(runtime, "email") if d.id != bad_id}
    assert pending_or_failed == {("sent", None)}

    # The bad one: failed after its one attempt, with the exception's class as the reason.
    failed = delivery(runtime, bad_id)
    assert (failed.status, failed.attempts, failed.last_error) == ("failed", 1, "message-not-written-UndefinedError")
    assert (failed.lease_token, failed.lease_until) == (None, None)

    # Announced as a delivery nobody could make: careplans opens the
    # "patient unreachable" task for the care team from this event.
    [announced] = outbox(runtime, "notifications.delivery-failed")
    assert announced.data["delivery_id"] == str(bad_id)
    assert announced.data["notification_id"] == str(patient_note.id)
    assert (announced.data["recipient_type"], announced.data["recipient_id"]) == ("patient", str(world.patient))
    assert (announced.data["patient_id"], announced.data["channel"]) == (str(world.patient), "email")
    assert (announced.data["attempts"], announced.data["reason"]) == (1, "message-not-written-UndefinedError")
    assert announced.correlation_id == news.correlation_id and announced.causation_id == str(news.id)

    # Not retried as if it were passing: later runs leave it alone.
    sent_so_far = len(smtp_server.messages)
    for _ in range(3):
        clock.advance(hours=2)
        assert send_due_deliveries(runtime) == 0
    failed = delivery(runtime, bad_id)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert len(smtp_server.messages) == sent_so_far
    assert len(outbox(runtime, "notifications.delivery-failed")) == 1

    # The log says which delivery, which letter and which kind of error,
    # and nothing of the person or of the facts (not even the exception's
    # message, which names what the template looked for).
    ours = [r for r in caplog.records if r.name.startswith("carebridge")]
    [why] = [r for r in ours if r.levelno == logging.ERROR]
    assert (why.delivery_id, why.channel, why.error_type) == (str(bad_id), "email", "UndefinedError")
    assert "appointment-booked" in why.getMessage() and why.exc_info is None
    formatter = JsonFormatter("notifications")
    written = "\n".join(formatter.format(r) for r in ours)
    assert str(bad_id) in written
    for phi in ("pat@example.org", "family@example.org", "MRN-2041", "mri-lumbar-spine", MISSING_FACT,
                "is undefined", "99214"):
        assert phi not in written, phi
    assert all(r.exc_info is None for r in ours)


def test_a_fixed_letter_goes_out_when_an_operator_sends_it_again(client, auth, runtime, smtp_server,
                                                                 unwritable):
    news, patient_note, bad_id = unwritable
    send_due_deliveries(runtime)
    assert delivery(runtime, bad_id).status == "failed"
    # The fix (a0d7307's kind: the template no longer needs the fact; here
    # the fact is back), then the queue's ordinary "send again".
    with runtime.db.transaction() as session:
        notification = session.get(Notification, patient_note.id)
        facts = {**notification.payload["facts"], MISSING_FACT: news.data[MISSING_FACT]}
        notification.payload = {**notification.payload, "facts": facts}
    assert client.post(f"/deliveries/{bad_id}/retry", headers=auth()).status_code == 200
    send_due_deliveries(runtime)
    assert delivery(runtime, bad_id).status == "sent"
    assert any(m["Subject"].startswith("Your visit is booked") for m in smtp_server.to("pat@example.org"))


def job_runs(outcome):
    return REGISTRY.get_sample_value("carebridge_job_runs_total", {
        "service": "notifications", "job": "send-deliveries", "outcome": outcome}) or 0.0


def test_the_worker_counts_the_run_as_done_and_the_failure_as_announced(runtime, smtp_server, unwritable):
    """The job runs as the worker runs it: each run ends `ok` in
    carebridge_job_runs_total (before the fix every run ended `failed`), and
    the failed delivery is counted where every delivery nobody could make
    is, as a `notifications.delivery-failed` event for the relay to publish
    (carebridge_events_published_total)."""
    _, _, bad_id = unwritable
    ok_before, failed_before = job_runs("ok"), job_runs("failed")
    worker = Worker(runtime, consume=False, relay=False).start()
    try:
        wait_for(lambda: job_runs("ok") > ok_before or job_runs("failed") > failed_before, timeout=30,
                 message="the send-deliveries job to run once")
    finally:
        worker.stop()
    assert job_runs("failed") == failed_before
    assert delivery(runtime, bad_id).status == "failed"
    assert smtp_server.to("family@example.org")
    assert [e.data["delivery_id"] for e in outbox(runtime, "notifications.delivery-failed")] == [str(bad_id)]


def test_a_staff_message_that_cannot_be_written_fails_alone_when_claimed(runtime, world, smtp_server,
                                                                         monkeypatch):
    """Staff email and SMS are worded when claimed, inside the claim's
    transaction: a failure there too fails only its own delivery, and the
    claim commits everything else."""
    from carebridge_notifications.service_layer import delivery_queue

    class WordingWithABug:
        def render_push(self, *args, **kwargs):
            raise KeyError("urgent")

    monkeypatch.setattr(delivery_queue, "template_book", WordingWithABug)
    world.deliver(world.missed())
    send_due_deliveries(runtime)
    staff = {"nurse@example.org", "coord@example.org"}
    assert {(d.address, d.status, d.attempts, d.last_error) for d in deliveries(runtime, "email")
            if d.address in staff} == {(address, "failed", 1, "message-not-written-KeyError") for address in staff}
    assert not [m for m in smtp_server.messages if m["To"] in staff]
    assert smtp_server.to("pat@example.org") and smtp_server.to("family@example.org")
    announced = outbox(runtime, "notifications.delivery-failed")
    assert {(e.data["recipient_type"], e.data["reason"]) for e in announced} == {
        ("practitioner", "message-not-written-KeyError")}
    assert len(announced) == 2
