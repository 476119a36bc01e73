import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from carebridge.testing import deliver, make_event
from carebridge_billing.payers import use_adapter
from carebridge_billing.service import SERVICE

sys.path.insert(0, str(Path(__file__).parent))

from billing_test_support import OutagePayer, coverage_body  # noqa: E402


@pytest.fixture
def runtime(make_runtime):
    """The billing service on a fresh, migrated database (SQLite, or
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
    """Every billing test runs on the kit's frozen clock (2026-03-02 14:00 UTC)."""
    return frozen_clock


@pytest.fixture
def patient_id():
    return uuid.uuid4()


@pytest.fixture
def payer(runtime):
    """The payer this runtime talks to, which a test can take down."""
    adapter = OutagePayer()
    use_adapter(runtime, adapter)
    return adapter


@pytest.fixture
def make_coverage(client, auth):
    """make_coverage(patient_id, **fields) -> the created coverage (JSON)."""
    def make(patient_id, **overrides):
        response = client.post("/coverages", json=coverage_body(patient_id, **overrides), headers=auth("billing"))
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    return make


@pytest.fixture
def on_care_team(runtime, clock):
    """on_care_team(patient_id, practitioner_id): the practitioner joins the
    patient's active care team (through the real event)."""
    def join(patient_id, practitioner_id, role="nurse"):
        deliver(runtime, make_event("patients.care-team-changed", {
            "care_team_id": uuid.uuid4(), "patient_id": patient_id, "revision": 1, "status": "active",
            "lead_coordinator_id": None, "members": [{
                "membership_id": uuid.uuid4(), "practitioner_id": practitioner_id, "role": role,
                "period_start": clock.now() - timedelta(days=30), "period_end": None}]}))
    return join
