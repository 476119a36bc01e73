import sys
from pathlib import Path

import pytest

from carebridge_patients.service import SERVICE

sys.path.insert(0, str(Path(__file__).parent))

from patients_testing import Staff  # noqa: E402


@pytest.fixture
def runtime(make_runtime):
    """The patients service on a fresh, migrated database (SQLite, or
    PostgreSQL with --db=postgresql) and the in-memory bus."""
    return make_runtime(SERVICE)


@pytest.fixture
def app(make_app, runtime):
    return make_app(SERVICE, runtime)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(autouse=True)
def clock(frozen_clock):
    """Every test runs at a known instant (2026-03-02 14:00 UTC)."""
    return frozen_clock


@pytest.fixture
def staff(client, auth) -> Staff:
    return Staff(client, auth)


@pytest.fixture
def coordinator(auth):
    return auth("coordinator")


@pytest.fixture
def patient(staff):
    return staff.patient()


@pytest.fixture
def team_nurse(staff, patient):
    """Headers of a nurse who is on the patient's active care team from now on."""
    nurse = staff.practitioner("nurse")
    staff.team(patient["id"], [nurse["id"]])
    return staff.headers_of(nurse)


@pytest.fixture
def outsider(staff):
    """A nurse in the directory who is on none of the patient's teams."""
    return staff.headers_of(staff.practitioner("nurse", family_name="Outsider"))
