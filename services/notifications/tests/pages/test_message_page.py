"""The secure message page, through the app as a phone would use it: the
link from a real email (SMTP server), the message and the choices, an answer
becoming an event, and every way a link can be wrong getting a plain page."""
import re
import uuid
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from carebridge.testing import audit_trail, outbox
from carebridge_notifications.jobs.deliveries import send_due_deliveries
from carebridge_notifications.persistence.message_page import MessageAnswer
from carebridge_notifications.persistence.notifications import Notification
from support import event, patient_updated, related_person_changed, runtime_settings_for


@pytest.fixture
def runtime_settings(tmp_path, smtp_server):
    return runtime_settings_for(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port),
                                MESSAGE_PAGE_LIMIT_PER_LINK="6")


def link_in_email(smtp_server, address):
    [message] = smtp_server.to(address)
    text = message.get_payload(decode=True).decode()
    return re.search(r"https://care\.example\.org(/messages/\S+)", text).group(1)


def booked_and_sent(runtime, world, smtp_server, address="pat@example.org"):
    world.deliver(world.booked())
    send_due_deliveries(runtime)
    return link_in_email(smtp_server, address)


def test_the_link_shows_the_message_and_the_choices_without_a_staff_token(client, runtime, world, smtp_server):
    path = booked_and_sent(runtime, world, smtp_server)
    page = client.get(path)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Your visit is booked for Tuesday, March 3, 2026" in html and "at the clinic" in html
    assert all(f'value="{choice}"' in html for choice in ("confirm", "cancel", "reschedule"))
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    [opened] = [r for r in audit_trail(runtime) if r["resource_type"] == "message"]
    assert (opened["action"], opened["patient_id"], opened["actor"]) == (
        "read", str(world.patient), f"patient:{world.patient}")


def test_asking_for_another_time_is_an_event_once(client, runtime, world, smtp_server):
    path = booked_and_sent(runtime, world, smtp_server)
    answered = client.post(path, data={"answer": "reschedule"})
    assert answered.status_code == 200
    assert 'data-answer="reschedule"' in answered.get_data(as_text=True)
    assert client.post(path, data={"answer": "cancel"}).status_code == 200  # the first answer stands
    [event] = [e.data for e in outbox(runtime, "notifications.appointment-answered")]
    assert event["answer"] == "reschedule" and event["patient_id"] == str(world.patient)
    assert event["recipient_type"] == "patient" and set(event) >= {"appointment_id", "notification_id"}
    assert 'data-answer="reschedule"' in client.get(path).get_data(as_text=True)


def test_a_changed_link_gets_a_plain_page(client, runtime, world, smtp_server):
    path = booked_and_sent(runtime, world, smtp_server)
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    for wrong in (tampered, "/messages/nonsense", "/messages/" + "x" * 300):
        page = client.get(wrong)
        assert page.status_code == 404 and page.mimetype == "text/html"
        assert "This link does not work" in page.get_data(as_text=True)
        assert client.post(wrong, data={"answer": "cancel"}).status_code == 404
    assert outbox(runtime, "notifications.appointment-answered") == []


def test_an_expired_link_gets_a_plain_page(client, runtime, world, smtp_server, clock):
    path = booked_and_sent(runtime, world, smtp_server)
    clock.advance(days=7, seconds=1)
    page = client.get(path)
    assert page.status_code == 410 and "This link has expired" in page.get_data(as_text=True)
    assert client.post(path, data={"answer": "cancel"}).status_code == 410
    assert outbox(runtime, "notifications.appointment-answered") == []


def test_a_link_is_rate_limited(client, runtime, world, smtp_server, clock):
    path = booked_and_sent(runtime, world, smtp_server)
    assert [client.get(path).status_code for _ in range(7)] == [200] * 6 + [429]
    assert "Too many tries" in client.get(path).get_data(as_text=True)
    clock.advance(hours=1, seconds=1)
    assert client.get(path).status_code == 200


def test_a_relative_whose_consent_was_withdrawn_no_longer_sees_the_message(client, runtime, world, smtp_server,
                                                                            clock):
    path = booked_and_sent(runtime, world, smtp_server, address="family@example.org")
    assert client.get(path).status_code == 200
    world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2,
                                         withdrawn_at=clock.now()))
    page = client.get(path)
    assert page.status_code == 410 and "no longer available" in page.get_data(as_text=True)


def test_a_spanish_speaking_patient_reads_spanish(client, runtime, world, smtp_server):
    world.deliver(patient_updated(world.patient, revision=2, language="es"))
    path = booked_and_sent(runtime, world, smtp_server)
    [message] = smtp_server.to("pat@example.org")
    assert str(make_header(decode_header(message["Subject"]))) == "Su cita está reservada para el martes, 3 de marzo de 2026"
    html = client.get(path).get_data(as_text=True)
    assert 'lang="es"' in html and "Pedir otra hora" in html and "en la clínica" in html


def check_in_task(world, **extra):
    return event("careplans.task-assigned", {
        "task_id": uuid.uuid4(), "patient_id": world.patient, "care_team_id": world.team,
        "owner_id": world.coordinator, "code": "check-in", "priority": "routine", "due_at": None, **extra})


def test_a_check_in_request_asks_how_the_patient_feels(client, runtime, world, smtp_server):
    world.deliver(check_in_task(world), check_in_task(world, code="outreach"),
                  check_in_task(world, previous_owner_id=world.nurse))
    send_due_deliveries(runtime)
    [message] = smtp_server.to("pat@example.org")  # the first opening of a check-in task only
    assert message["Subject"] == "How are you feeling?"
    path = link_in_email(smtp_server, "pat@example.org")
    html = client.get(path).get_data(as_text=True)
    assert all(f'id="feeling-{feeling}"' in html for feeling in ("better", "same", "worse"))
    assert 'name="comment"' in html and 'value="confirm"' not in html
    assert client.post(path, data={"answer": "check-in", "feeling": "awful"}).status_code == 400
    answered = client.post(path, data={"answer": "check-in", "feeling": "worse", "comment": "Short of breath"})
    assert answered.status_code == 200 and 'data-answer="worse"' in answered.get_data(as_text=True)
    [event_] = [e.data for e in outbox(runtime, "notifications.check-in-answered")]
    assert (event_["feeling"], event_["has_comment"], event_["patient_id"]) == ("worse", True, str(world.patient))
    assert "Short of breath" not in str(event_)
    with runtime.db.transaction() as session:
        [kept] = session.scalars(select(MessageAnswer)).all()
        assert (kept.answer, kept.comment) == ("worse", "Short of breath")


def test_a_message_written_before_letters_shows_its_inbox_words(client, runtime, world, smtp_server):
    path = booked_and_sent(runtime, world, smtp_server)
    with runtime.db.transaction() as session:
        for notification in session.scalars(select(Notification)):
            notification.payload = None  # as every notification made before this release
    page = client.get(path)
    assert page.status_code == 200 and "Appointment booked" in page.get_data(as_text=True)
    assert 'value="reschedule"' not in page.get_data(as_text=True)
