import uuid

import pytest

from carebridge.testing import deliver
from support import OutagePayer, appointment_event, coverage_body


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


@pytest.fixture
def world(client, auth, runtime, make_coverage, patient_id, payer):
    """One of each billing resource for one patient."""
    coverage = make_coverage(patient_id)
    deliver(runtime, appointment_event("completed", patient_id, "99214"))
    claim = client.get(f"/claims?patient_id={patient_id}", headers=auth("billing")).get_json()["items"][0]
    charge = client.get(f"/charges?patient_id={patient_id}", headers=auth("billing")).get_json()["items"][0]
    estimate = client.post("/estimates", json={"patient_id": str(patient_id), "service_code": "99214"},
                           headers=auth("billing")).get_json()
    prior_auth = client.post("/prior-authorizations", json={"patient_id": str(patient_id), "service_code": "72148"},
                             headers=auth("billing")).get_json()
    issue = client.post("/billing-issues", json={"patient_id": str(patient_id), "category": "other",
                                                 "summary": "Question about a bill."}, headers=auth("billing")).get_json()
    return {"patient_id": str(patient_id), "coverage_id": coverage["id"], "claim_id": claim["id"],
            "charge_id": charge["id"], "estimate_id": estimate["id"], "prior_auth_id": prior_auth["id"],
            "issue_id": issue["id"]}
