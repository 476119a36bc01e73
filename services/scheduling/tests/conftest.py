import json
import sys
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from carebridge_scheduling.service import SERVICE

sys.path.insert(0, str(Path(__file__).parent))

import support  # noqa: E402


class FakePatientsApi:
    """The patients service's `GET /patients/{id}`, as a real HTTP server
    (so the service's real HTTP client is what gets tested)."""

    def __init__(self):
        self.patients: dict[str, dict] = {}
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
        patient = self.patients.get(request.path.removeprefix("/patients/"))
        if patient is None:
            return Response('{"status": 404}', status=404, content_type="application/problem+json")
        return Response(json.dumps(patient), content_type="application/json")

    def reset(self):
        self.patients.clear()
        self.requests.clear()
        self.failing = False

    def close(self):
        self._server.shutdown()


@pytest.fixture(scope="session")
def patients_api_server():
    server = FakePatientsApi()
    yield server
    server.close()


@pytest.fixture
def patients_api(patients_api_server):
    patients_api_server.reset()
    yield patients_api_server
    patients_api_server.reset()


@pytest.fixture
def runtime(make_runtime, patients_api):
    """The scheduling service on a fresh, migrated database (SQLite, or
    PostgreSQL with --db=postgresql), the in-memory bus, and a fake patients
    API that answers fast."""
    return make_runtime(SERVICE, service_urls={"patients": patients_api.url}, http_retries=0)


@pytest.fixture
def app(make_app, runtime):
    return make_app(SERVICE, runtime)


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class World:
    """A small clinic network at the frozen test time (Monday 2 March 2026,
    14:00Z = 09:00 in New York): one practitioner working weekdays 09:00-17:00
    New York time at the clinic (5-minute buffer), Saturday mornings by
    telehealth, and one active patient."""
    clinic_id: uuid.UUID
    hospital_id: uuid.UUID
    telehealth_id: uuid.UUID
    practitioner_id: uuid.UUID
    schedule_id: uuid.UUID
    patient_id: uuid.UUID


@pytest.fixture
def world(runtime, frozen_clock) -> World:
    clinic = support.add_location(runtime, "outpatient-clinic")
    hospital = support.add_location(runtime, "hospital")
    telehealth = support.add_location(runtime, "home-telehealth")
    practitioner_id = uuid.uuid4()
    schedule_id = support.add_schedule(runtime, practitioner_id, [
        *({"weekday": day, "start_time": "09:00", "end_time": "17:00", "location_id": clinic} for day in range(5)),
        {"weekday": 5, "start_time": "09:00", "end_time": "12:00", "location_id": telehealth},
    ], buffer_minutes=5)
    patient_id = support.register_patient(runtime)
    return World(clinic, hospital, telehealth, practitioner_id, schedule_id, patient_id)


@pytest.fixture
def coordinator(auth):
    return auth("coordinator")


@pytest.fixture
def book(client, coordinator, world):
    """book(start=..., **fields) -> the booked appointment (JSON), via the API."""
    def make(start, *, headers=None, expect=201, **fields):
        body = {"patient_id": str(world.patient_id), "practitioner_id": str(world.practitioner_id),
                "appointment_type_code": "follow-up", "start": start.isoformat(), **fields}
        response = client.post("/appointments", json=body, headers=headers or coordinator)
        assert response.status_code == expect, response.get_json()
        return response.get_json()
    return make
