"""The sender job against real servers: email over SMTP (aiosmtpd), SMS
through an HTTP gateway and signed webhooks to an HTTP receiver; retries
with backoff, bounces, and a sender killed between two deliveries."""
import json
import logging
from datetime import timedelta

import pytest

from carebridge import clock
from carebridge.testing import deliver, outbox
from carebridge_notifications.domain import webhook_signature
from carebridge_notifications.jobs.deliveries import send_due_deliveries
from carebridge_notifications.service_layer.sending import send_due
from support import deliveries, notifications, patient_updated, runtime_settings_for, set_preferences, subscribe_webhook

SECRET = "s3cret-for-webhook-tests-000000000000"


@pytest.fixture
def runtime_settings(tmp_path, smtp_server, http_receiver):
    return runtime_settings_for(
        tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port), SMTP_FROM="care@carebridge.example",
        SMS_GATEWAY_URL=http_receiver.url + "/sms", SMS_GATEWAY_TOKEN="gateway-token", SMS_FROM="CareBridge",
        DELIVERY_MAX_ATTEMPTS="3", DELIVERY_RETRY_BASE_SECONDS="30")


def status_of(runtime, channel, address=None):
    return [(d.status, d.attempts) for d in deliveries(runtime, channel) if address in (None, d.address)]


class TestEmailOverSmtp:
    def test_pending_email_says_what_when_and_where_with_a_secure_link(self, runtime, world, smtp_server):
        news = world.booked(code="mri-lumbar-spine")
        world.deliver(news)
        assert send_due_deliveries(runtime) == 2  # the patient and the consenting daughter
        [message] = smtp_server.to("pat@example.org")
        assert message["From"] == "care@carebridge.example"
        # 14:00 UTC is 9:00 in the patient's New York.
        assert message["Subject"] == "Your visit is booked for Tuesday, March 3, 2026"
        text = message.get_payload(decode=True).decode()
        assert "When: Tuesday, March 3, 2026, at 9:00 AM (Eastern Time)." in text
        assert "Where: at the clinic." in text and "lower back" in text.lower()
        assert "https://care.example.org/messages/" in text
        assert "mri-lumbar-spine" not in text and "99214" not in text
        delivery = next(d for d in deliveries(runtime, "email") if d.address == "pat@example.org")
        assert (delivery.status, delivery.attempts) == ("sent", 1)
        assert message["Message-ID"] == f"<{delivery.id}@notifications.carebridge>"

    def test_staff_email_says_only_that_something_urgent_waits_in_the_inbox(self, runtime, world, smtp_server):
        no_show = world.missed()
        world.deliver(no_show)
        send_due_deliveries(runtime)
        [message] = smtp_server.to("nurse@example.org")
        assert message["Subject"] == "Urgent CareBridge notification"
        assert "https://staff.example.org/inbox" in message.get_payload(decode=True).decode()

    def test_bounce_is_final_and_announced(self, runtime, world, smtp_server):
        smtp_server.refuse["pat@example.org"] = "550 5.1.1 No such user"
        news = world.booked(code="mri-lumbar-spine")
        world.deliver(news)
        send_due_deliveries(runtime)
        assert status_of(runtime, "email", "pat@example.org") == [("bounced", 1)]
        [failed] = outbox(runtime, "notifications.delivery-failed")
        patient_note = next(n for n in notifications(runtime, news.id) if n.recipient_type == "patient")
        assert failed.data["notification_id"] == str(patient_note.id)
        assert failed.data["source_event_id"] == str(news.id)
        assert failed.data["source_event_type"] == "scheduling.appointment-booked"
        assert failed.data["patient_id"] == str(world.patient)
        assert (failed.data["recipient_type"], failed.data["channel"]) == ("patient", "email")
        assert failed.data["reason"] == "smtp-recipient-refused-550"
        assert failed.correlation_id == news.correlation_id and failed.causation_id == str(news.id)
        assert smtp_server.to("family@example.org")  # the others still went out

    def test_server_down_is_retried_with_growing_delays_then_fails_and_is_announced(self, runtime, world,
                                                                                  clock, smtp_server):
        smtp_server.refuse["pat@example.org"] = "451 4.3.0 Try again later"
        world.deliver(world.booked(code="mri-lumbar-spine"))
        started = clock.now()
        send_due_deliveries(runtime)
        [email] = [d for d in deliveries(runtime, "email") if d.address == "pat@example.org"]
        assert (email.status, email.attempts, email.next_attempt_at) == ("pending", 1, started + timedelta(seconds=30))
        clock.advance(seconds=29)
        send_due_deliveries(runtime)
        assert status_of(runtime, "email", "pat@example.org") == [("pending", 1)]
        clock.advance(seconds=1)
        send_due_deliveries(runtime)
        [email] = [d for d in deliveries(runtime, "email") if d.address == "pat@example.org"]
        assert (email.attempts, email.next_attempt_at) == (2, clock.now() + timedelta(seconds=60))
        assert not outbox(runtime, "notifications.delivery-failed")
        clock.advance(seconds=60)
        send_due_deliveries(runtime)
        assert status_of(runtime, "email", "pat@example.org") == [("failed", 3)]
        [failed] = outbox(runtime, "notifications.delivery-failed")
        assert (failed.data["attempts"], failed.data["reason"]) == (3, "smtp-recipient-deferred-451")

    def test_deferred_email_leaves_when_it_is_due_and_not_before(self, runtime, world, clock, smtp_server):
        from datetime import datetime, timezone
        world.deliver(patient_updated(world.patient, revision=2, quiet_hours=("22:00", "07:00")))
        clock.set(datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc))
        world.deliver(world.booked(code="mri-lumbar-spine"))
        send_due_deliveries(runtime)
        assert not smtp_server.to("pat@example.org")
        clock.set(datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc))
        send_due_deliveries(runtime)
        assert len(smtp_server.to("pat@example.org")) == 1


class TestSmsThroughTheGateway:
    def test_text_goes_to_the_gateway_with_token_and_reference(self, runtime, world, http_receiver):
        world.deliver(patient_updated(world.patient, revision=2, preferred_channel="sms", sms_consent=True))
        world.deliver(world.booked(code="mri-lumbar-spine"))
        send_due_deliveries(runtime)
        [request] = [r for r in http_receiver.requests if r["path"] == "/sms"]
        body = json.loads(request["body"])
        [sms] = deliveries(runtime, "sms")
        # SMS: private by default, a notice and the secure link only.
        assert body.keys() == {"to", "from", "reference", "text"}
        assert (body["to"], body["from"], body["reference"]) == ("+15550100", "CareBridge", str(sms.id))
        assert body["text"].startswith("You have a new message from your care team.\nRead it on our secure page:\n"
                                       "https://care.example.org/messages/")
        assert "2026" not in body["text"] and "clinic" not in body["text"]
        assert request["headers"]["Authorization"] == "Bearer gateway-token"
        assert request["headers"]["Idempotency-Key"] == str(sms.id)
        assert (sms.status, sms.provider_reference) == ("sent", "gw-1")

    def test_number_the_gateway_rejects_is_bounced(self, runtime, world, http_receiver):
        http_receiver.status = 422
        world.deliver(patient_updated(world.patient, revision=2, preferred_channel="sms", sms_consent=True))
        world.deliver(world.booked(code="mri-lumbar-spine"))
        send_due_deliveries(runtime)
        assert status_of(runtime, "sms") == [("bounced", 1)]
        assert outbox(runtime, "notifications.delivery-failed")[0].data["reason"] == "sms-rejected-422"

    def test_gateway_outage_is_retried(self, runtime, world, http_receiver):
        http_receiver.status = 503
        world.deliver(patient_updated(world.patient, revision=2, preferred_channel="sms", sms_consent=True))
        world.deliver(world.booked(code="mri-lumbar-spine"))
        send_due_deliveries(runtime)
        [sms] = deliveries(runtime, "sms")
        assert (sms.status, sms.attempts, sms.last_error) == ("pending", 1, "sms-http-503")


class TestSignedWebhooks:
    def verifying_receiver(self, http_receiver, secret=SECRET):
        def respond(request):
            ok = webhook_signature.verify(secret, request["headers"], request["body"], now=clock.now().timestamp())
            return (204, {}) if ok else (401, {"error": "bad signature"})
        http_receiver.respond = respond

    def test_subscribed_app_receives_a_call_it_can_verify(self, runtime, world, http_receiver):
        self.verifying_receiver(http_receiver)
        subscription = subscribe_webhook(runtime, http_receiver.url + "/hook", ["scheduling.appointment-booked"])
        news = world.booked(code="mri-lumbar-spine")
        world.deliver(news)
        send_due_deliveries(runtime)
        [call] = [r for r in http_receiver.requests if r["path"] == "/hook"]
        assert call["status"] == 204
        body = json.loads(call["body"])
        assert body["event_id"] == str(news.id) and body["event_type"] == "scheduling.appointment-booked"
        # Identifiers only: the staff app reads the rest through the API, with its own access checks.
        assert body["data"]["appointment_id"] == str(news.data["appointment_id"])
        assert all(key.endswith("_id") for key in body["data"]) and "appointment_type_code" not in body["data"]
        assert call["headers"][webhook_signature.EVENT_TYPE_HEADER] == "scheduling.appointment-booked"
        [hook] = deliveries(runtime, "webhook")
        assert hook.status == "sent" and call["headers"][webhook_signature.DELIVERY_HEADER] == str(hook.id)
        assert (notifications(runtime, news.id)[-1].recipient_type, subscription) in \
            {(n.recipient_type, n.recipient_id) for n in notifications(runtime, news.id)}

    def test_receiver_refusing_the_signature_bounces_the_delivery(self, runtime, world, http_receiver):
        self.verifying_receiver(http_receiver, secret="another-secret-the-receiver-expects")
        subscribe_webhook(runtime, http_receiver.url + "/hook", ["scheduling.appointment-booked"])
        world.deliver(world.booked(code="mri-lumbar-spine"))
        send_due_deliveries(runtime)
        assert status_of(runtime, "webhook") == [("bounced", 1)]

    def test_receiver_error_is_retried(self, runtime, world, http_receiver):
        http_receiver.status = 500
        subscribe_webhook(runtime, http_receiver.url + "/hook", ["scheduling.appointment-booked"])
        world.deliver(world.booked(code="mri-lumbar-spine"))
        send_due_deliveries(runtime)
        assert status_of(runtime, "webhook") == [("pending", 1)]

    def test_unsubscribed_types_are_not_sent(self, runtime, world, http_receiver):
        subscribe_webhook(runtime, http_receiver.url + "/hook", ["billing.claim-denied"])
        world.deliver(world.booked(code="mri-lumbar-spine"))
        send_due_deliveries(runtime)
        assert not deliveries(runtime, "webhook") and not http_receiver.requests

    def test_deleted_subscription_cancels_its_pending_calls(self, runtime, world, http_receiver):
        from carebridge_notifications.service_layer import webhook_subscriptions
        subscription = subscribe_webhook(runtime, http_receiver.url + "/hook", ["scheduling.appointment-booked"])
        world.deliver(world.booked(code="mri-lumbar-spine"))
        with runtime.db.transaction() as session:
            webhook_subscriptions.delete(session, webhook_subscriptions.find(session, subscription))
        send_due_deliveries(runtime)
        assert status_of(runtime, "webhook") == [("cancelled", 0)] and not http_receiver.requests


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


class DiesAfter:
    """Sends `count` messages through the real sender, then dies."""

    def __init__(self, real, count):
        self.real, self.left = real, count

    def send(self, message):
        if self.left == 0:
            raise WorkerKilled()
        self.left -= 1
        return self.real.send(message)


class TestExactlyOnce:
    def test_sender_killed_between_two_deliveries_still_sends_each_exactly_once(self, runtime, world, smtp_server,
                                                                                clock):
        news = world.booked(code="mri-lumbar-spine")
        world.deliver(news)
        senders = dict(runtime.dependencies.senders)
        senders["email"] = DiesAfter(senders["email"], 1)
        with pytest.raises(WorkerKilled):
            send_due(runtime, senders)
        assert len(smtp_server.messages) == 1
        # A restarted sender finds the second delivery still leased to the
        # dead one, and takes it over once the lease runs out.
        assert send_due_deliveries(runtime) == 0
        clock.advance(seconds=121)
        assert send_due_deliveries(runtime) == 1
        assert sorted(m["To"] for m in smtp_server.messages) == ["family@example.org", "pat@example.org"]
        assert {(d.status, d.attempts) for d in deliveries(runtime, "email")} == {("sent", 1), ("sent", 2)}

    def test_duplicated_event_and_killed_sender_together_still_mean_one_email_each(self, runtime, world,
                                                                                  smtp_server, clock):
        news = world.booked(code="mri-lumbar-spine")
        assert [deliver(runtime, news), deliver(runtime, news)] == ["applied", "duplicate"]
        senders = dict(runtime.dependencies.senders)
        senders["email"] = DiesAfter(senders["email"], 1)
        with pytest.raises(WorkerKilled):
            send_due(runtime, senders)
        deliver(runtime, news)
        clock.advance(minutes=5)
        send_due_deliveries(runtime)
        send_due_deliveries(runtime)
        assert sorted(m["To"] for m in smtp_server.messages) == ["family@example.org", "pat@example.org"]

    def test_sender_that_lost_its_lease_cannot_overwrite_the_new_holder(self, runtime, world, clock):
        from carebridge_notifications.channels.outcome import Outcome
        from carebridge_notifications.service_layer.delivery_queue import claim_due, record_outcome
        world.deliver(world.booked(code="mri-lumbar-spine"))
        config = runtime.service_settings
        with runtime.db.transaction() as session:
            first = claim_due(session, now=clock.now(), config=config)
        clock.advance(seconds=121)
        with runtime.db.transaction() as session:
            second = claim_due(session, now=clock.now(), config=config)
        assert {c.delivery_id for c in first} == {c.delivery_id for c in second}
        with runtime.db.transaction() as session:
            assert record_outcome(session, first[0], Outcome.bounced("late"), now=clock.now(), config=config) is None
            assert record_outcome(session, second[0], Outcome.sent(), now=clock.now(), config=config) == "sent"

    def test_sender_does_not_send_what_it_no_longer_holds(self, runtime, world, clock, smtp_server):
        class SlowSender:
            """Each send takes two minutes: the batch outlives its leases."""
            def __init__(self, real):
                self.real = real

            def send(self, message):
                clock.advance(seconds=121)
                return self.real.send(message)

        world.deliver(world.booked(code="mri-lumbar-spine"))
        senders = dict(runtime.dependencies.senders)
        senders["email"] = SlowSender(senders["email"])
        assert send_due(runtime, senders) == 2
        assert len(smtp_server.messages) == 1  # the second lease had run out: left for the next claim
        send_due_deliveries(runtime)
        assert len(smtp_server.messages) == 2
        assert {d.status for d in deliveries(runtime, "email")} == {"sent"}

    def test_a_leased_delivery_is_not_claimed_twice(self, runtime, world):
        from carebridge_notifications.service_layer.delivery_queue import claim_due
        world.deliver(world.booked(code="mri-lumbar-spine"))
        config = runtime.service_settings
        with runtime.db.transaction() as session:
            assert len(claim_due(session, now=clock.now(), config=config)) == 2
        with runtime.db.transaction() as session:
            assert claim_due(session, now=clock.now(), config=config) == []

    def test_delivery_whose_sender_died_on_its_last_attempt_fails_and_is_announced(self, runtime, world,
                                                                                  clock, smtp_server):
        smtp_server.refuse["pat@example.org"] = "451 4.3.0 Try again later"
        world.deliver(world.booked(code="mri-lumbar-spine"))
        for _ in range(2):
            send_due_deliveries(runtime)
            clock.advance(minutes=5)
        senders = dict(runtime.dependencies.senders)
        senders["email"] = DiesAfter(None, 0)
        with pytest.raises(WorkerKilled):
            send_due(runtime, senders)
        clock.advance(minutes=5)
        send_due_deliveries(runtime)
        assert status_of(runtime, "email", "pat@example.org") == [("failed", 3)]
        assert outbox(runtime, "notifications.delivery-failed")[0].data["reason"] == "smtp-recipient-deferred-451"


def test_sender_is_silent_when_there_is_nothing_to_do(runtime, caplog):
    with caplog.at_level(logging.DEBUG, logger="carebridge_notifications"):
        assert send_due_deliveries(runtime) == 0
    assert caplog.records == []


def test_staff_sms_with_consent_goes_out(runtime, world, http_receiver):
    set_preferences(runtime, "practitioner", world.nurse, sms_consent=True, channels={"medication_safety": ["sms"]})
    world.deliver(world.medication_alert("contraindicated", kind="allergy"))
    send_due_deliveries(runtime)
    [request] = http_receiver.requests
    assert json.loads(request["body"])["to"] == "+15550122"
    assert "urgent" in json.loads(request["body"])["text"]
