import uuid

import pytest

from support import OutagePayer, coverage_body


@pytest.fixture
def patient_id():
    return uuid.uuid4()


@pytest.fixture
def payer(runtime):
    """The payer this runtime talks to, which a test can take down."""
    runtime.dependencies.payer = OutagePayer()
    return runtime.dependencies.payer


@pytest.fixture
def make_coverage(client, auth):
    """make_coverage(patient_id, **fields) -> the created coverage (JSON)."""
    def make(patient_id, **overrides):
        response = client.post("/coverages", json=coverage_body(patient_id, **overrides), headers=auth("billing"))
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    return make
