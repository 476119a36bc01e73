"""Issue 19, item 1: cost estimates and claim outcomes reach the patient
(and family only with consent to billing news) as letters that say plainly
what changed and what to do, money formatted for the reader's locale; a
real email (SMTP server), and the secure page that shows the message."""
import re
import uuid
from datetime import date
from decimal import Decimal
from email.header import decode_header, make_header

import pytest
from babel.numbers import format_currency

from carebridge_notifications.jobs.deliveries import send_due_deliveries
from support import event, patient_updated, related_person_changed, runtime_settings_for, set_preferences

SERVICE_DAY = date(2026, 3, 2)


@pytest.fixture
def runtime_settings(tmp_path, smtp_server):
    return runtime_settings_for(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port))


def usd(amount: str) -> dict:
    return {"amount": amount, "currency": "USD"}


def claim_paid(world, *, owes="40.00", paid="145.00"):
    return event("billing.claim-paid", {
        "claim_id": uuid.uuid4(), "patient_id": world.patient, "appointment_id": uuid.uuid4(), "paid": usd(paid),
        "patient_responsibility": usd(owes), "service_date": SERVICE_DAY, "billed": usd("185.00")})


def claim_denied(world, *codes, after_appeal=False):
    return event("billing.claim-denied", {
        "claim_id": uuid.uuid4(), "patient_id": world.patient, "appointment_id": uuid.uuid4(),
        "reason_codes": list(codes), "service_date": SERVICE_DAY, "after_appeal": after_appeal})


def estimate_sent(world, *, include_family=True, basis="with-coverage"):
    return event("billing.estimate-sent", {
        "sending_id": uuid.uuid4(), "estimate_id": uuid.uuid4(), "patient_id": world.patient,
        "service_code": "99214", "appointment_type_code": "cardiology-follow-up", "category": "specialist",
        "service_date": date(2026, 3, 10), "basis": basis, "charge": usd("185.00"), "copay": usd("30.00"),
        "deductible": usd("0.00"), "coinsurance": usd("0.00"), "patient_pays": usd("30.00"),
        "plan_pays": usd("155.00"), "include_family": include_family})


def sent(runtime, world, news):
    world.deliver(news)
    send_due_deliveries(runtime)


def letter_to(smtp_server, address):
    [message] = smtp_server.to(address)
    text = message.get_payload(decode=True).decode().replace("\r\n", "\n")
    return str(make_header(decode_header(message["Subject"]))), text


def page_path(text):
    return re.search(r"https://care\.example\.org(/messages/\S+)", text).group(1)


def test_a_partly_paid_claim_tells_the_patient_what_they_owe_and_not_the_daughter_without_consent(
        client, runtime, world, smtp_server):
    sent(runtime, world, claim_paid(world))
    subject, text = letter_to(smtp_server, "pat@example.org")
    assert subject == "Your insurance paid its part: you owe $40.00"
    assert "Your visit on Monday, March 2, 2026: the insurance answered our bill." in text
    assert "Our bill: $185.00.\nThe insurance paid: $145.00.\nYou owe: $40.00." in text
    assert "What to do now: please pay this amount." in text and "payment plan" in text
    assert smtp_server.to("family@example.org") == []  # the daughter consented to visits and plans only
    html = client.get(page_path(text)).get_data(as_text=True)
    assert "You owe: $40.00." in html and "The insurance paid: $145.00." in html


def test_a_claim_paid_in_full_says_nothing_is_owed(runtime, world, smtp_server):
    sent(runtime, world, claim_paid(world, owes="0.00", paid="185.00"))
    subject, text = letter_to(smtp_server, "pat@example.org")
    assert subject == "Your insurance paid for your visit"
    assert "You owe nothing for this visit." in text and "What to do now: nothing." in text


def test_spanish_money_is_formatted_for_the_spanish_locale(client, runtime, world, smtp_server):
    world.deliver(patient_updated(world.patient, revision=2, language="es"))
    sent(runtime, world, claim_paid(world))
    owed = format_currency(Decimal("40.00"), "USD", locale="es_US")
    subject, text = letter_to(smtp_server, "pat@example.org")
    assert subject == f"Su seguro pagó su parte: usted debe {owed}"
    assert f"Usted debe: {owed}." in text and "lunes, 2 de marzo de 2026" in text
    assert "Qué hacer ahora: pague esta cantidad" in text
    html = client.get(page_path(text)).get_data(as_text=True)
    assert 'lang="es"' in html and f"Usted debe: {owed}." in html


def test_a_relative_with_consent_to_billing_news_gets_the_family_letter(runtime, world, smtp_server):
    world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2, billing=True))
    sent(runtime, world, claim_paid(world))
    subject, text = letter_to(smtp_server, "family@example.org")
    assert subject == "The insurance paid for a visit of the person you support"
    assert "They owe: $40.00." in text


def test_a_denial_gives_the_plain_reason_and_what_happens_next(runtime, world, smtp_server):
    sent(runtime, world, claim_denied(world, "197"))
    subject, text = letter_to(smtp_server, "pat@example.org")
    assert subject == "Your insurance did not pay for your visit"
    assert "The reason: the insurance had to approve this care before the visit, and it had not." in text
    assert "What happens next: our billing team will check the bill." in text
    assert "You do not need to pay anything now." in text and "197" not in text


def test_a_denial_after_an_appeal_about_the_coverage_asks_about_other_insurance(runtime, world, smtp_server):
    sent(runtime, world, claim_denied(world, "CO", "27", after_appeal=True))
    _subject, text = letter_to(smtp_server, "pat@example.org")
    assert "It said no again." in text and "our billing team will call you" in text
    assert "the insurance did not cover the patient on the day of the visit" in text
    assert "if you have other insurance, or the insurance changed, call your care team" in text


def test_private_detail_keeps_the_amounts_off_the_email_and_on_the_page(client, runtime, world, smtp_server):
    set_preferences(runtime, "patient", world.patient, message_detail="private")
    sent(runtime, world, claim_paid(world))
    subject, text = letter_to(smtp_server, "pat@example.org")
    assert subject == "You have a new message from your care team" and "$" not in text
    html = client.get(page_path(text)).get_data(as_text=True)
    assert "You owe: $40.00." in html


def test_an_estimate_says_the_price_the_insurance_part_and_the_patients(client, runtime, world, smtp_server):
    world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2, billing=True))
    sent(runtime, world, estimate_sent(world, include_family=False))
    subject, text = letter_to(smtp_server, "pat@example.org")
    assert subject == "Your cost estimate for Tuesday, March 10, 2026"
    assert "cardiology follow-up, on Tuesday, March 10, 2026." in text
    assert "Our price: $185.00.\nThe insurance should pay: $155.00.\nYou would pay: $30.00." in text
    assert "Of this, $30.00 is the copay" in text and "deductible" not in text
    assert smtp_server.to("family@example.org") == []  # the sender left the family out
    assert "Our price: $185.00." in client.get(page_path(text)).get_data(as_text=True)


def test_an_estimate_sent_to_the_family_too_without_insurance(runtime, world, smtp_server):
    world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2, billing=True))
    sent(runtime, world, estimate_sent(world, basis="no-coverage"))
    subject, text = letter_to(smtp_server, "family@example.org")
    assert subject == "A cost estimate for the person you support"
    assert "We have no insurance on file for that day" in text and "They would pay: $30.00." in text
    assert "insurance should pay" not in text
