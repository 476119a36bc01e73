"""Messages to patients and family, as they receive them (issue 19): the
24-hour reminder email says when and where the visit is and carries a
working secure link; the page it opens shows the message and the choices;
asking for another time puts a task on the coordinator's worklist; a
Spanish-speaking patient reads Spanish; a relative whose consent was
withdrawn while a message waited for the end of their quiet hours receives
nothing; a changed and an expired link each get a plain page; a bounced
address opens the "patient unreachable" task. A video visit's reminder
carries its join link (issue 25), and a claim's outcome reaches a
Spanish-speaking patient with what they owe (issue 19).
"""
import json
import re
from datetime import timedelta
from decimal import Decimal
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import requests
from babel.dates import format_date, format_time
from babel.numbers import format_currency

from support.api import ok
from support.mail import BOUNCING_DOMAIN
from support.observe import mail_to, mail_text, notifications, outbox
from support.stack import eventually
from support.world import Patient, idempotency, if_match, slot_start

VISIT = "cardiology-follow-up"
NEW_YORK = ZoneInfo("America/New_York")
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/messages/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def words(text: str) -> str:
    """Babel puts narrow no-break spaces in times; the letters keep plain ones."""
    return " ".join(text.split())


def mail_from(stack, address: str, subject_start: str):
    found = [m for m in mail_to(stack, address) if subject(m).startswith(subject_start)]
    assert found, f"no email to {address} starting {subject_start!r} yet"
    return found[-1]


def text_of(message) -> str:
    return mail_text(message).replace("\r\n", "\n")


def link_in(message) -> str:
    return LINK.search(text_of(message)).group(1)


def patient_with(world, coordinator, *, email: str, language: str = "en"):
    """A patient registered as the front desk would, with their own address
    and language."""
    record = ok(coordinator.client("patients").post("/patients", headers=idempotency(), json={
        "mrn": f"MRN-{world.tag}", "given_name": "Rosa", "family_name": f"Testpatient{world.tag}",
        "birth_date": "1950-02-11", "administrative_sex": "female", "time_zone": "America/New_York",
        "preferred_language": language, "contact_points": [{"system": "email", "value": email}],
        "communication": {"preferred_channel": "email"}}), 201)
    return Patient(record["id"], email, record)


def cast(world, *, email=None, language="en", family=None):
    """Coordinator, cardiologist and a patient (with `family`: relationship
    -> extra fields of the relative), known everywhere; the cardiologist's
    week open for the visit."""
    coordinator = world.practitioner("coordinator")
    nurse = world.practitioner("nurse")
    cardiologist = world.practitioner("specialist", specialty="cardiology", name="cardiologist")
    patient = patient_with(world, coordinator, email=email or f"patient-{world.tag}@patients.example",
                           language=language)
    for relationship, extra in (family or {}).items():
        email_of = f"{relationship}-{world.tag}@family.example"
        record = ok(coordinator.client("patients").post(
            f"/patients/{patient.id}/related-persons", headers=idempotency(), json={
                "given_name": relationship.title(), "family_name": f"Testpatient{world.tag}",
                "relationship": relationship, "time_zone": "America/New_York",
                "contact_points": [{"system": "email", "value": email_of}],
                "consent": {"appointments": True, "care_plan": False, "billing": False},
                **extra}), 201)
        record["email"] = email_of
        patient.family[relationship] = record
    world.care_team(coordinator, patient, [coordinator, nurse, cardiologist])
    world.wait_until_known(patient, [coordinator, nurse, cardiologist], clinician=nurse)
    world.open_all_week(coordinator, cardiologist, [VISIT])
    return coordinator, cardiologist, patient


def test_reminder_with_a_secure_link_to_confirm_cancel_or_reschedule(stack, world):
    coordinator, cardiologist, patient = cast(world)
    start = slot_start(stack.now() + timedelta(hours=26))
    appointment = world.book(coordinator, patient, cardiologist, VISIT, start)

    stack.advance_to(start - timedelta(hours=24) + timedelta(minutes=1))
    reminder = eventually(lambda: mail_from(stack, patient.email, "Reminder: your visit on"),
                          message="the 24-hour reminder email")
    local = start.astimezone(NEW_YORK)
    day, hour = format_date(local, "full", locale="en_US"), words(format_time(local, "short", locale="en_US"))
    text = text_of(reminder)
    assert subject(reminder) == f"Reminder: your visit on {day}"
    assert f"When: {day}, at {hour} (Eastern Time)." in text
    # The names come from scheduling and patients at sending time (not in events).
    place = world.location()["name"]
    assert re.search(rf"^Where: {re.escape(place)}, (at the clinic|at the doctor's office|at the hospital)\.$",
                     text, re.M), text
    assert f"With: Cardiologist Staff{world.tag}." in text
    assert "cardiology follow-up" in text.lower() and VISIT not in text
    link = link_in(reminder)

    # The page, as the patient's phone opens it: no staff token.
    page = requests.get(link, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert f"Reminder: your visit on {day}" in page.text
    assert all(f'value="{choice}"' in page.text for choice in ("confirm", "cancel", "reschedule"))

    answered = requests.post(link, data={"answer": "reschedule"}, timeout=10)
    assert answered.status_code == 200 and 'data-answer="reschedule"' in answered.text

    # The coordinator's worklist: a task to call the patient and move the visit.
    tasks = eventually(lambda: ok(coordinator.client("careplans").get("/tasks", params={
        "patient_id": patient.id, "code": "rebook", "mine": "true"}))["items"],
        message="the rebook task on the coordinator's worklist")
    [task] = tasks
    assert (task["owner_id"], task["focus_id"], task["status"]) == (coordinator.id, appointment["id"], "requested")
    assert task["reason"].startswith("The patient asked for another time")

    # A link changed by one character, and the same link a week later.
    tampered = link[:-1] + ("A" if link[-1] != "A" else "B")
    refused = requests.get(tampered, timeout=10)
    assert refused.status_code == 404 and "This link does not work" in refused.text
    assert "Traceback" not in refused.text and "problem" not in refused.headers["Content-Type"]
    stack.advance(days=7, minutes=1)
    expired = requests.get(link, timeout=10)
    assert expired.status_code == 410 and "This link has expired" in expired.text


def test_a_spanish_speaking_patient_gets_the_spanish_text(stack, world):
    coordinator, cardiologist, patient = cast(world, language="es")
    start = slot_start(stack.now() + timedelta(hours=30))
    world.book(coordinator, patient, cardiologist, VISIT, start)
    booked = eventually(lambda: mail_from(stack, patient.email, "Su cita está reservada"),
                        message="the Spanish booking email")
    local = start.astimezone(NEW_YORK)
    day = format_date(local, "full", locale="es_US")
    assert subject(booked) == f"Su cita está reservada para el {day}"
    text = text_of(booked)
    assert f"Cuándo: {day}, a las {words(format_time(local, 'short', locale='es_US'))}" in text
    assert "seguimiento de cardiología" in text and "Traiga su identificación" in text
    page = requests.get(link_in(booked), timeout=10)
    assert page.status_code == 200 and 'lang="es"' in page.text and "Pedir otra hora" in page.text


def test_a_relative_whose_consent_was_withdrawn_while_a_message_waited_receives_nothing(stack, world):
    # The son's quiet hours cover the next three hours: his email waits.
    local = stack.now().astimezone(NEW_YORK)
    quiet = {"preferred_channel": "email", "quiet_hours_start": (local - timedelta(hours=1)).strftime("%H:%M"),
             "quiet_hours_end": (local + timedelta(hours=3)).strftime("%H:%M")}
    coordinator, cardiologist, patient = cast(world, family={"son": {"communication": quiet}})
    son = patient.family["son"]
    start = slot_start(stack.now() + timedelta(hours=30))
    appointment = world.book(coordinator, patient, cardiologist, VISIT, start)

    def son_told():
        history = notifications(stack, patient.id, event_type="scheduling.appointment-booked")
        mine = [n for n in history if n["recipient_id"] == son["id"]]
        assert mine, "the son's notification is not recorded yet"
        return {d["channel"]: d["status"] for d in mine[0]["deliveries"]}

    assert eventually(son_told, message="the son's email queued")["email"] == "pending"
    eventually(lambda: mail_from(stack, patient.email, "Your visit is booked"), message="the patient's email")

    ok(coordinator.client("patients").post(f"/patients/{patient.id}/related-persons/{son['id']}/consent-withdrawal"))

    def directory_knows_withdrawal():
        items = ok(world.admin("notifications", "coordinator").get("/recipients", params={
            "patient_id": patient.id}))["items"]
        return next(i for i in items if i["recipient_id"] == son["id"])["consents_to"] == []

    eventually(directory_knows_withdrawal, message="notifications to hear of the withdrawal")
    stack.advance(hours=3, minutes=5)
    eventually(lambda: son_told()["email"] == "cancelled", message="the son's email cancelled at sending time")
    assert mail_to(stack, son["email"]) == []
    assert appointment["status"] == "booked"


def test_a_bounced_address_opens_the_patient_unreachable_task(stack, world):
    coordinator, cardiologist, patient = cast(world, email=f"nobody-{world.tag}@{BOUNCING_DOMAIN}")
    world.book(coordinator, patient, cardiologist, VISIT, slot_start(stack.now() + timedelta(hours=30)))
    tasks = eventually(lambda: [t for t in ok(coordinator.client("careplans").get("/tasks", params={
        "patient_id": patient.id, "code": "outreach"}))["items"] if t["reason"].startswith("Patient unreachable")],
        message="the patient unreachable task")
    [task] = tasks
    assert (task["owner_id"], task["priority"], task["status"]) == (coordinator.id, "urgent", "requested")
    assert "email to the patient failed for good" in task["reason"] and BOUNCING_DOMAIN not in task["reason"]


def test_a_video_visit_reminder_carries_its_join_link(stack, world):
    coordinator, _cardiologist, patient = cast(world)
    doctor = world.practitioner("physician", name="videodoctor")
    world.open_all_week(coordinator, doctor, ["telehealth-check-in"], location="virtual-care")
    start = slot_start(stack.now() + timedelta(hours=26))
    appointment = world.book(coordinator, patient, doctor, "telehealth-check-in", start)
    join = appointment["telehealth_join_url"]
    assert join and appointment["setting"] == "home-telehealth"

    stack.advance_to(start - timedelta(hours=24) + timedelta(minutes=1))
    reminder = eventually(lambda: mail_from(stack, patient.email, "Reminder: your visit on"),
                          message="the 24-hour reminder email of the video visit")
    text = text_of(reminder)
    # Asked of scheduling when the letter was written: the patient's own link.
    assert f"Open this video link a few minutes before the start:\n{join}\n" in text, text
    assert "Please come 15 minutes early" not in text
    page = requests.get(link_in(reminder), timeout=10)
    assert page.status_code == 200 and join in page.text
    # The link is a secret: no event of the visit carries it.
    assert all(join not in json.dumps(e) for e in outbox(stack, "scheduling", appointment_id=appointment["id"]))


def test_a_claim_outcome_reaches_a_spanish_speaking_patient_with_what_they_owe(stack, world):
    coordinator, cardiologist, patient = cast(world, language="es")
    biller = world.practitioner("billing", name="biller")
    world.coverage(biller, patient, copays={"specialist": {"amount": "40.00", "currency": "USD"}})
    start = slot_start(stack.now() + timedelta(hours=2))
    appointment = world.book(coordinator, patient, cardiologist, VISIT, start)
    stack.advance_to(start + timedelta(minutes=2))
    world.set_appointment_status(coordinator, appointment, "checked-in")
    stack.advance(minutes=30)
    world.set_appointment_status(cardiologist, appointment, "fulfilled")

    billing = biller.client("billing")
    claim = eventually(lambda: next(iter(ok(billing.get("/claims", params={"patient_id": patient.id}))["items"]),
                                    None), message="the visit's claim")
    ok(billing.post(f"/claims/{claim['id']}/submit", headers=if_match(billing.get(f"/claims/{claim['id']}"))))
    stack.advance(minutes=61)
    eventually(lambda: ok(billing.get(f"/claims/{claim['id']}"))["status"] == "accepted", message="acceptance")
    stack.advance(hours=24, minutes=1)
    paid = eventually(lambda: (c := ok(billing.get(f"/claims/{claim['id']}")))["status"] == "paid" and c,
                      message="payment")
    assert paid["patient_responsibility"] == {"amount": "40.00", "currency": "USD"}
    owed = words(format_currency(Decimal("40.00"), "USD", locale="es_US"))

    letter = eventually(lambda: mail_from(stack, patient.email, "Su seguro pagó su parte"),
                        message="the claim outcome email in Spanish")
    assert subject(letter) == f"Su seguro pagó su parte: usted debe {owed}"
    text = text_of(letter)
    assert f"Usted debe: {owed}." in text and "El seguro pagó: " in text
    assert "Qué hacer ahora: pague esta cantidad" in text
    page = requests.get(link_in(letter), timeout=10)
    assert page.status_code == 200 and 'lang="es"' in page.text and f"Usted debe: {owed}." in page.text
