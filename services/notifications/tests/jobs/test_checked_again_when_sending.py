"""Consent and opt-out are checked again at the moment of sending (a
message held for quiet hours, an operator's resend), and each person's
choice of detail decides what the email or SMS says."""
import pytest

from carebridge.testing import assert_problem
from carebridge_notifications.jobs.deliveries import send_due_deliveries
from support import deliveries, related_person_changed, runtime_settings_for, set_preferences


@pytest.fixture
def runtime_settings(tmp_path, smtp_server):
    return runtime_settings_for(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port))


def family_email(runtime):
    return next(d for d in deliveries(runtime, "email") if d.address == "family@example.org")


def test_a_relative_whose_consent_was_withdrawn_during_quiet_hours_gets_nothing(runtime, world, smtp_server, clock):
    # 14:00 UTC is 09:00 in New York: the daughter's quiet hours run until 11:00.
    set_preferences(runtime, "related-person", world.consenting_daughter,
                    quiet_hours={"start": "20:00", "end": "11:00"})
    world.deliver(world.booked())
    send_due_deliveries(runtime)
    assert family_email(runtime).status == "pending" and smtp_server.to("pat@example.org")
    world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2,
                                         withdrawn_at=clock.now()))
    clock.advance(hours=2, minutes=1)
    send_due_deliveries(runtime)
    held = family_email(runtime)
    assert (held.status, held.last_error, held.attempts) == ("cancelled", "consent-withdrawn", 0)
    assert smtp_server.to("family@example.org") == []


def test_an_opt_out_after_queueing_is_honoured(runtime, world, smtp_server, clock):
    set_preferences(runtime, "related-person", world.consenting_daughter,
                    quiet_hours={"start": "20:00", "end": "11:00"})
    world.deliver(world.booked())
    set_preferences(runtime, "related-person", world.consenting_daughter, opted_out=True)
    clock.advance(hours=3)
    send_due_deliveries(runtime)
    assert (family_email(runtime).status, family_email(runtime).last_error) == ("cancelled", "opted-out")
    assert smtp_server.to("family@example.org") == []


def test_an_operator_cannot_resend_to_a_relative_who_withdrew(client, auth, runtime, world, smtp_server, clock):
    smtp_server.refuse["family@example.org"] = "550 5.1.1 No such user"
    world.deliver(world.booked())
    send_due_deliveries(runtime)
    bounced = family_email(runtime)
    assert bounced.status == "bounced"
    world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2,
                                         email="new@example.org", withdrawn_at=clock.now()))
    assert_problem(client.post(f"/deliveries/{bounced.id}/retry", headers=auth()), 422)
    assert family_email(runtime).status == "bounced"


def test_a_person_who_chose_private_detail_gets_only_the_notice(runtime, world, smtp_server):
    set_preferences(runtime, "patient", world.patient, message_detail="private")
    world.deliver(world.booked())
    send_due_deliveries(runtime)
    [message] = smtp_server.to("pat@example.org")
    text = message.get_payload(decode=True).decode()
    assert message["Subject"] == "You have a new message from your care team"
    assert "https://care.example.org/messages/" in text and "2026" not in text and "clinic" not in text
    # The daughter kept the default: the message itself.
    [hers] = smtp_server.to("family@example.org")
    assert hers["Subject"].startswith("A visit is booked for the person you support")


def test_staff_cannot_choose_a_detail(client, auth, runtime, world):
    path = f"/preferences/practitioners/{world.nurse}"
    response = client.put(path, headers={**auth("nurse", sub=str(world.nurse)), "If-Match": '"0"'},
                          json={"message_detail": "full"})
    assert_problem(response, 422)
