"""Helpers the scheduling tests share: real events through the real
consumer path, data set up through the service layer, and a fake patients
API."""
from __future__ import annotations

import json
import threading
import uuid
from datetime import time

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from carebridge import clock
from carebridge.testing import deliver, make_event
from carebridge_scheduling.persistence.models import Location
from carebridge_scheduling.service_layer import schedules


def patient_event(event_type: str, patient_id, *, revision: int = 1, status: str = "active",
                  time_zone: str = "America/Chicago", **extra):
    data = {"patient_id": patient_id, "revision": revision, "status": status, "time_zone": time_zone,
            "contact_points": [], "communication": {}, **extra}
    if event_type == "patients.patient-updated":
        data.setdefault("changed_fields", ["status"])
    return make_event(event_type, data)


def register_patient(runtime, patient_id=None, **kwargs) -> uuid.UUID:
    patient_id = patient_id or uuid.uuid4()
    assert deliver(runtime, patient_event("patients.patient-registered", patient_id, **kwargs)) == "applied"
    return patient_id


def add_location(runtime, setting: str, code: str | None = None) -> uuid.UUID:
    with runtime.db.transaction() as session:
        location = Location(id=uuid.uuid4(), code=code or f"{setting}-{uuid.uuid4().hex[:8]}", name=setting,
                            setting=setting, active=True, created_at=clock.now(), updated_at=clock.now())
        session.add(location)
    return location.id


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def add_schedule(runtime, practitioner_id, rules: list[dict], *, time_zone: str = "America/New_York",
                 buffer_minutes: int = 0, slot_interval_minutes: int = 15) -> uuid.UUID:
    with runtime.db.transaction() as session:
        schedule = schedules.create(session, {
            "practitioner_id": practitioner_id, "time_zone": time_zone, "buffer_minutes": buffer_minutes,
            "slot_interval_minutes": slot_interval_minutes,
            "rules": [{**rule, "start_time": _hhmm(rule["start_time"]), "end_time": _hhmm(rule["end_time"])}
                      for rule in rules]})
    return schedule.id


def event_types(events) -> list[str]:
    return [event.type for event in events]


class FakePatientsApi:
    """The patients service's `GET /patients/{id}` (and the careplans
    service's `GET /care-plans/{id}`), as a real HTTP server (so the
    service's real HTTP client is what gets tested)."""

    def __init__(self):
        self.patients: dict[str, dict] = {}
        self.care_plans: dict[str, dict] = {}
        self.failing = False
        self.requests: list[str] = []
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @Request.application
    def _app(self, request):
        self.requests.append(request.path)
        if self.failing:
            return Response('{"status": 503}', status=503, content_type="application/problem+json")
        if request.path.startswith("/care-plans/"):
            patient = self.care_plans.get(request.path.removeprefix("/care-plans/"))
        else:
            patient = self.patients.get(request.path.removeprefix("/patients/"))
        if patient is None:
            return Response('{"status": 404}', status=404, content_type="application/problem+json")
        return Response(json.dumps(patient), content_type="application/json")

    def reset(self):
        self.patients.clear()
        self.care_plans.clear()
        self.requests.clear()
        self.failing = False

    def close(self):
        self._server.shutdown()
