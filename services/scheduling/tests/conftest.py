"""This suite's own fixtures: a fake patients API the runtime talks to, and
a small clinic network to book in (the kit's plugin gives runtime, app,
client and clock)."""
import uuid
from dataclasses import dataclass

import pytest

import support


@pytest.fixture(scope="session")
def patients_api_server():
    server = support.FakePatientsApi()
    yield server
    server.close()


@pytest.fixture
def patients_api(patients_api_server):
    patients_api_server.reset()
    yield patients_api_server
    patients_api_server.reset()


@pytest.fixture
def runtime_settings(patients_api):
    """The runtime talks to a fake patients API that answers fast."""
    return {"service_urls": {"patients": patients_api.url, "careplans": patients_api.url}, "http_retries": 0}


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
def world(runtime, clock) -> World:
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
