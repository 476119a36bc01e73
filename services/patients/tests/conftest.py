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


@pytest.fixture(scope="session")
def _shared_app():
    """One app for the whole run: building one documents every endpoint
    (tens of milliseconds), and nothing in it depends on the database."""
    return {}


@pytest.fixture
def app(runtime, _shared_app):
    """The service's app on this test's runtime. It is built once, then each
    test gives it its own runtime, exactly where `create_app` puts it."""
    if "app" not in _shared_app:
        _shared_app["app"] = SERVICE.create_app({"runtime": runtime, "TESTING": True})
    app = _shared_app["app"]
    app.extensions["carebridge"] = runtime
    return app


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
