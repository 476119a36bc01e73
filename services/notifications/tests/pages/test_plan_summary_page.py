"""Issue 19, item 4: a plan summary staff sent reaches the patient and the
consenting family as a secure message (a real email, SMTP server), whose page
shows the summary from careplans in the reader's language, ready to print."""
import json
import re
import threading
import uuid
from datetime import timedelta

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from carebridge_notifications.jobs.deliveries import send_due_deliveries
from support import event, patient_updated, related_person_changed, runtime_settings_for

SUMMARY = {
    "en": {"language": "en", "language_note": None, "title": "Heart failure care",
           "period": {"start": "Monday, March 2", "end": None},
           "medicines": [{"name": "furosemide", "what_for": "removes extra fluid", "how_much": "40 mg", "how": "by mouth",
                          "when": "every morning (at 8:00 am)", "for_how_long": None, "notes": None}],
           "stop_taking": [], "visits": [{"what": "A follow-up visit with your heart doctor",
                                          "when": "between Monday, March 9 and Monday, March 16",
                                          "booking": "Your care team will help you book this."}],
           "diet": [], "therapy": [], "learning": [], "goals": [],
           "watch_for": [{"sign": "Weight up 3 pounds in a day", "what_to_do": "Call your care team the same day."}],
           "whom_to_call": [{"who": "Sam Rivera, your care coordinator", "phone": "+1 555 0100", "when": None}],
           "emergency": "If you have chest pain, trouble breathing, fainting or signs of a stroke, call 911."},
}
SUMMARY["es"] = {**SUMMARY["en"], "language": "es",
                 "medicines": [{**SUMMARY["en"]["medicines"][0], "how": "por la boca", "when": "cada mañana"}],
                 "emergency": "Si tiene dolor en el pecho, llame al 911."}


class FakeCareplans:
    """careplans' `GET /care-plans/{id}/summary`, as a real HTTP server."""

    def __init__(self):
        self.plans: set[str] = set()
        self.failing = False
        self.requests: list[dict] = []
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @Request.application
    def _app(self, request):
        self.requests.append({"path": request.path, "language": request.args.get("language"),
                              "authorized": request.headers.get("Authorization", "").startswith("Bearer ")})
        found = re.fullmatch(r"/care-plans/([0-9a-f-]{36})/summary", request.path)
        if self.failing:
            return Response('{"status": 503}', status=503, content_type="application/problem+json")
        if not found or found.group(1) not in self.plans:
            return Response('{"status": 404}', status=404, content_type="application/problem+json")
        language = "es" if (request.args.get("language") or "").startswith("es") else "en"
        return Response(json.dumps({**SUMMARY[language], "plan_id": found.group(1)}), content_type="application/json")

    def close(self):
        self._server.shutdown()


@pytest.fixture(scope="module")
def careplans():
    server = FakeCareplans()
    yield server
    server.close()


@pytest.fixture
def runtime_settings(tmp_path, smtp_server, careplans):
    careplans.plans.clear()
    careplans.requests.clear()
    careplans.failing = False
    return {**runtime_settings_for(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port)),
            "service_urls": {"careplans": careplans.url}, "http_retries": 0}


def summary_sent(world, careplans, *, include_family=True):
    plan_id = uuid.uuid4()
    careplans.plans.add(str(plan_id))
    return event("careplans.plan-summary-sent", {
        "sending_id": uuid.uuid4(), "plan_id": plan_id, "patient_id": world.patient, "care_team_id": world.team,
        "version": 3, "include_family": include_family, "sent_by": world.nurse})


def link_in_email(smtp_server, address):
    [message] = smtp_server.to(address)
    text = message.get_payload(decode=True).decode()
    return text, re.search(r"https://care\.example\.org(/messages/\S+)", text).group(1)


def test_the_patient_and_the_consenting_daughter_get_a_letter_whose_page_shows_the_summary_to_print(
        client, runtime, world, smtp_server, careplans):
    world.deliver(summary_sent(world, careplans))
    send_due_deliveries(runtime)
    text, path = link_in_email(smtp_server, "pat@example.org")
    assert "summary of your care plan" in text and "furosemide" not in text
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert 'id="plan-summary"' in html and "Your medicines" in html and "furosemide" in html
    assert "every morning (at 8:00 am)" in html and "Sam Rivera, your care coordinator" in html and "911" in html
    assert "@media print" in html
    assert careplans.requests[-1]["authorized"] and careplans.requests[-1]["language"] == "en"
    # The son shares the address but withdrew his consent: one email only, the daughter's.
    _text, family_path = link_in_email(smtp_server, "family@example.org")
    assert "furosemide" in client.get(family_path).get_data(as_text=True)


def test_a_spanish_speaking_patient_gets_the_spanish_letter_and_summary(client, runtime, world, smtp_server,
                                                                        careplans):
    world.deliver(patient_updated(world.patient, revision=2, language="es-MX"))
    world.deliver(summary_sent(world, careplans, include_family=False))
    send_due_deliveries(runtime)
    text, path = link_in_email(smtp_server, "pat@example.org")
    assert "Su equipo de cuidado le envió un resumen" in text
    html = client.get(path).get_data(as_text=True)
    assert 'lang="es"' in html and "Sus medicamentos" in html and "por la boca" in html
    assert careplans.requests[-1]["language"] == "es-MX"


def test_family_left_out_or_whose_consent_was_withdrawn_before_sending_get_nothing(runtime, world, smtp_server,
                                                                                   careplans, clock):
    world.deliver(summary_sent(world, careplans, include_family=False))
    send_due_deliveries(runtime)
    assert smtp_server.to("family@example.org") == [] and len(smtp_server.to("pat@example.org")) == 1
    world.deliver(summary_sent(world, careplans))
    world.deliver(related_person_changed(world.consenting_daughter, world.patient, revision=2,
                                         withdrawn_at=clock.now() - timedelta(seconds=1)))
    send_due_deliveries(runtime)
    assert smtp_server.to("family@example.org") == [] and len(smtp_server.to("pat@example.org")) == 2


def test_when_careplans_cannot_answer_the_page_still_shows_the_message_and_says_so(client, runtime, world,
                                                                                   smtp_server, careplans):
    world.deliver(summary_sent(world, careplans, include_family=False))
    send_due_deliveries(runtime)
    _text, path = link_in_email(smtp_server, "pat@example.org")
    careplans.failing = True
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="summary-unavailable"' in html and "summary of your care plan" in html
