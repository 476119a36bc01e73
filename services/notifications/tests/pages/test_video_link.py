"""Issue 25, item 15: a telehealth visit's reminder carries its real video
link, asked of scheduling (as this service) when the letter is written or
the page opened: in the email itself with `full` detail, only on the secure
page with `private`; in English and Spanish. The link is a secret: it is in
no event, no stored row and no log line."""
import json
import logging
import re
import threading
import uuid
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from carebridge_notifications.jobs.deliveries import send_due_deliveries
from carebridge_notifications.persistence.notifications import Notification
from support import event, patient_updated, runtime_settings_for, set_preferences

JOIN = "https://meet.jit.si/CareBridge0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"


class FakeScheduling:
    """scheduling's `GET /appointments/{id}` (and nothing else), as a real HTTP server."""

    def __init__(self):
        self.visits: dict[str, str] = {}  # appointment id -> status
        self.requests: list[tuple[str, str]] = []
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @Request.application
    def _app(self, request):
        self.requests.append((request.path, request.headers.get("Authorization", "")[:7]))
        found = re.fullmatch(r"/appointments/([0-9a-f-]{36})", request.path)
        if not found or found.group(1) not in self.visits:
            return Response('{"status": 404}', status=404, content_type="application/problem+json")
        return Response(json.dumps({"id": found.group(1), "status": self.visits[found.group(1)],
                                    "telehealth_join_url": JOIN}), content_type="application/json")

    def close(self):
        self._server.shutdown()


@pytest.fixture(scope="module")
def scheduling():
    server = FakeScheduling()
    yield server
    server.close()


@pytest.fixture
def runtime_settings(tmp_path, smtp_server, scheduling):
    scheduling.visits.clear()
    scheduling.requests.clear()
    return {**runtime_settings_for(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port)),
            "service_urls": {"scheduling": scheduling.url, "patients": scheduling.url}, "http_retries": 0}


def video_reminder(world, scheduling, status="booked"):
    data = {**world.appointment(code="telehealth-check-in"), "setting": "home-telehealth", "offset_minutes": 1440,
            "telehealth": True}
    scheduling.visits[str(data["appointment_id"])] = status
    return event("scheduling.appointment-reminder-due", data)


def reminded(runtime, world, scheduling, smtp_server, **kwargs):
    world.deliver(video_reminder(world, scheduling, **kwargs))
    send_due_deliveries(runtime)
    [message] = smtp_server.to("pat@example.org")
    text = message.get_payload(decode=True).decode().replace("\r\n", "\n")
    return str(make_header(decode_header(message["Subject"]))), text, \
        re.search(r"https://care\.example\.org(/messages/\S+)", text).group(1)


def test_full_detail_puts_the_join_link_in_the_email_and_on_the_page(client, runtime, world, scheduling,
                                                                    smtp_server, caplog):
    with caplog.at_level(logging.DEBUG):
        subject, text, path = reminded(runtime, world, scheduling, smtp_server)
        html = client.get(path).get_data(as_text=True)
    assert subject.startswith("Reminder: your visit on")
    assert f"This is a video visit. Join it from your phone or computer.\n" \
           f"Open this video link a few minutes before the start:\n{JOIN}\n" in text
    assert "Please come 15 minutes early" not in text
    assert JOIN in html
    # Asked of scheduling with this service's token, for the email and for the page.
    assert [p for p, _ in scheduling.requests if p.startswith("/appointments/")] and \
        all(auth == "Bearer " for _, auth in scheduling.requests)
    # Never kept: not in the stored facts, not in a log line.
    with runtime.db.transaction() as session:
        assert all(JOIN not in json.dumps(n.payload or {}) for n in session.scalars(select(Notification)))
    # (the test's own SMTP server logs what it receives: only the service's records count)
    ours = [r for r in caplog.records if r.name.startswith("carebridge")]
    assert ours and not [r for r in ours if JOIN in r.getMessage() or JOIN in str(r.__dict__)]


def test_private_detail_keeps_the_link_off_the_email_and_shows_it_on_the_page(client, runtime, world, scheduling,
                                                                             smtp_server):
    set_preferences(runtime, "patient", world.patient, message_detail="private")
    subject, text, path = reminded(runtime, world, scheduling, smtp_server)
    assert subject == "You have a new message from your care team" and JOIN not in text
    html = client.get(path).get_data(as_text=True)
    assert JOIN in html and "Open this video link a few minutes before the start:" in html


def test_spanish_with_full_detail(client, runtime, world, scheduling, smtp_server):
    world.deliver(patient_updated(world.patient, revision=2, language="es"))
    subject, text, path = reminded(runtime, world, scheduling, smtp_server)
    assert subject.startswith("Recordatorio")
    assert f"Abra este enlace del video unos minutos antes de la hora:\n{JOIN}\n" in text
    html = client.get(path).get_data(as_text=True)
    assert 'lang="es"' in html and JOIN in html


def test_spanish_with_private_detail(client, runtime, world, scheduling, smtp_server):
    world.deliver(patient_updated(world.patient, revision=2, language="es"))
    set_preferences(runtime, "patient", world.patient, message_detail="private")
    _subject, text, path = reminded(runtime, world, scheduling, smtp_server)
    assert JOIN not in text
    html = client.get(path).get_data(as_text=True)
    assert "Abra este enlace del video" in html and JOIN in html


def test_a_cancelled_visit_or_a_silent_scheduling_gives_no_link(client, runtime, world, scheduling, smtp_server):
    _subject, text, path = reminded(runtime, world, scheduling, smtp_server, status="cancelled")
    assert JOIN not in text and "You will find the video link on our secure page." in text
    html = client.get(path).get_data(as_text=True)
    assert JOIN not in html and "We could not get the video link just now." in html
