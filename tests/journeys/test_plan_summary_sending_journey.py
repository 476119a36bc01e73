"""Sending the plan summary (issue 19, items 2 and 4), as the family receives
it: a nurse sends a Spanish-speaking patient's plan summary; the patient and
the daughter who consented to care-plan news each get an email with a secure
link whose page shows the summary (read from careplans, in the reader's
language) ready to print; the son without that consent gets nothing.
"""
import re
from email.header import decode_header, make_header

import requests

from support.api import ok
from support.observe import mail_to, mail_text
from support.stack import eventually
from support.world import idempotency, if_match

LINK = re.compile(r"(http://127\.0\.0\.1:\d+/messages/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def email_to(stack, address, subject_start):
    found = [m for m in mail_to(stack, address) if subject(m).startswith(subject_start)]
    assert found, f"no email to {address} starting {subject_start!r} yet"
    return mail_text(found[-1]).replace("\r\n", "\n")


def test_a_nurse_sends_the_summary_to_the_patient_and_consenting_family(stack, world):
    coordinator, nurse = world.practitioner("coordinator"), world.practitioner("nurse")
    patient = world.patient(coordinator)
    patients = coordinator.client("patients")
    ok(patients.patch(f"/patients/{patient.id}", json={"preferred_language": "es-MX"},
                      headers=if_match(patients.get(f"/patients/{patient.id}"))))
    world.related_person(coordinator, patient, "daughter", care_plan=True)
    world.related_person(coordinator, patient, "son", appointments=True)
    world.care_team(coordinator, patient, [coordinator, nurse])
    world.wait_until_known(patient, [coordinator, nurse], clinician=nurse)
    plan = world.plan_from_template(coordinator, patient)
    if plan["status"] != "active":
        plan = world.set_plan_status(coordinator, plan, "active")

    summary = eventually(lambda: _in_spanish(ok(nurse.client("careplans").get(
        f"/care-plans/{plan['id']}/summary"))), message="careplans knows the patient's language")
    sent = ok(nurse.client("careplans").post(f"/care-plans/{plan['id']}/summary/send", headers=idempotency(),
                                             json={"include_family": True}), 202)
    assert sent["plan_id"] == plan["id"]

    letter = eventually(lambda: email_to(stack, patient.email, "El resumen de su plan de cuidado"),
                        message="the patient's email")
    assert "Su equipo de cuidado le envió un resumen" in letter
    page = requests.get(LINK.search(letter).group(1), timeout=10)
    assert page.status_code == 200 and 'id="plan-summary"' in page.text and 'lang="es"' in page.text
    assert "Sus medicamentos" in page.text and summary["medicines"][0]["name"] in page.text
    # the template's own words are in Spanish too (issue 19, item 2), the care team changed none of them
    assert "Tráguelo entero. No lo deje de golpe." in page.text and "Swallow it whole" not in page.text
    assert summary["title"].startswith("Insuficiencia cardíaca") and summary["language_note"] is None
    assert "@media print" in page.text

    daughter = eventually(lambda: email_to(stack, patient.family["daughter"]["email"],
                                           "The care plan summary of the person you support"),
                          message="the consenting daughter's email")
    family_page = requests.get(LINK.search(daughter).group(1), timeout=10)
    assert family_page.status_code == 200 and 'id="plan-summary"' in family_page.text
    assert "Your medicines" in family_page.text  # the daughter reads English, her own language
    assert not [m for m in mail_to(stack, patient.family["son"]["email"]) if "summary" in subject(m)]


def _in_spanish(summary):
    assert summary["language"] == "es", summary["language"]
    return summary
