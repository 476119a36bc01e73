import uuid

import pytest

from support import appointment_event, if_match, money
from carebridge.testing import assert_problem, audit_trail, deliver, outbox
from carebridge_billing.jobs.payer_status import PAYER_STATUS
from carebridge_billing.jobs.payer_submissions import PAYER_SUBMISSIONS


@pytest.fixture
def claim(client, auth, runtime, make_coverage, patient_id, payer):
    """A draft claim for a completed follow-up visit."""
    make_coverage(patient_id)
    deliver(runtime, appointment_event("completed", patient_id, "99214"))
    [item] = client.get(f"/claims?patient_id={patient_id}", headers=auth("billing")).get_json()["items"]
    return item


def test_a_claim_reads_with_its_lines_history_and_etag(client, auth, claim):
    response = client.get(f"/claims/{claim['id']}", headers=auth("billing"))
    assert response.status_code == 200 and response.headers["ETag"] == f'"{claim["version"]}"'
    body = response.get_json()
    assert (body["status"], body["service_codes"], body["billed"], body["paid"]) == (
        "draft", ["99214"], money("185.00"), None)
    assert [(h["from_status"], h["to_status"], h["actor"]) for h in body["history"]] == [(None, "draft", "system")]


def test_charges_list_and_read(client, auth, runtime, claim, patient_id):
    page = client.get(f"/charges?patient_id={patient_id}&status=billed", headers=auth("billing")).get_json()
    [charge] = page["items"]
    assert (charge["claim_id"], charge["amount"], charge["category"]) == (claim["id"], money("185.00"),
                                                                           "primary-care")
    assert client.get(f"/charges/{charge['id']}", headers=auth("coordinator")).get_json()["id"] == charge["id"]
    assert audit_trail(runtime)[-1]["resource_type"] == "charge"
    assert client.get("/charges?status=self-pay", headers=auth("billing")).get_json()["total"] == 0
    assert_problem(client.get(f"/charges/{uuid.uuid4()}", headers=auth("billing")), 404)


class TestSubmit:
    def test_without_if_match_is_428(self, client, auth, claim):
        assert_problem(client.post(f"/claims/{claim['id']}/submit", headers=auth("billing")), 428)

    def test_stale_is_412(self, client, auth, claim):
        assert_problem(client.post(f"/claims/{claim['id']}/submit", headers=if_match(auth("billing"), '"99"')), 412)

    def test_staff_submit_a_draft_before_its_hold_ends(self, client, auth, runtime, claim):
        response = client.post(f"/claims/{claim['id']}/submit",
                               headers=if_match(auth("billing"), f'"{claim["version"]}"'))
        assert response.status_code == 200
        body = response.get_json()
        assert (body["status"], body["submission_attempts"]) == ("submitted", 1)
        assert body["history"][-1]["actor"] != "system"
        assert len(outbox(runtime, "billing.claim-submitted")) == 1
        assert PAYER_SUBMISSIONS.run(runtime) == 0

    def test_payer_down_leaves_it_submission_failed_not_lost(self, client, auth, runtime, claim, payer):
        payer.down = True
        response = client.post(f"/claims/{claim['id']}/submit",
                               headers=if_match(auth("billing"), f'"{claim["version"]}"'))
        assert response.status_code == 200
        body = response.get_json()
        assert (body["status"], body["last_error"], body["submission_attempts"]) == (
            "submission-failed", "payer-unavailable", 1)
        assert client.get(f"/claims?status=submission-failed", headers=auth("billing")).get_json()["total"] == 1

    def test_a_submitted_claim_cannot_be_submitted_again(self, client, auth, claim):
        first = client.post(f"/claims/{claim['id']}/submit", headers=if_match(auth("billing"), f'"{claim["version"]}"'))
        body = assert_problem(client.post(f"/claims/{claim['id']}/submit",
                                          headers=if_match(auth("billing"), first.headers["ETag"])), 409)
        assert body["current_status"] == "submitted" and body["allowed"] == ["accepted", "denied", "paid"]

    def test_missing_claim_is_404(self, client, auth):
        assert_problem(client.post(f"/claims/{uuid.uuid4()}/submit", headers=if_match(auth("billing"), '"1"')), 404)


def test_a_denied_claim_is_appealed_and_paid(client, auth, runtime, make_coverage, patient_id, payer, clock):
    make_coverage(patient_id)
    deliver(runtime, appointment_event("completed", patient_id, "72148"))  # denied CARC 50 on this plan...
    clock.advance(hours=1)
    PAYER_SUBMISSIONS.run(runtime)
    clock.advance(days=1)
    PAYER_STATUS.run(runtime)
    [claim] = client.get("/claims?status=denied", headers=auth("billing")).get_json()["items"]
    assert claim["reasons"][0]["code"] == "197"  # ...but first: no authorization at all
    assert claim["reasons"][0]["description"].startswith("Precertification")
    appealed = client.post(f"/claims/{claim['id']}/appeal", headers=if_match(auth("billing"), f'"{claim["version"]}"'))
    assert appealed.status_code == 200
    assert (appealed.get_json()["status"], appealed.get_json()["appeal_count"]) == ("appealed", 1)
    clock.advance(days=1)
    PAYER_STATUS.run(runtime)
    # Still no authorization: the appeal is denied again; only a denial can be appealed.
    body = client.get(f"/claims/{claim['id']}", headers=auth("billing")).get_json()
    assert body["status"] == "denied"
    assert [h["to_status"] for h in body["history"]] == ["draft", "submitted", "denied", "appealed", "denied"]


def test_only_a_denied_claim_can_be_appealed(client, auth, claim):
    body = assert_problem(client.post(f"/claims/{claim['id']}/appeal",
                                      headers=if_match(auth("billing"), f'"{claim["version"]}"')), 409)
    assert body["requested_status"] == "appealed"


class TestBillingASelfPayCharge:
    @pytest.fixture
    def charge(self, client, auth, runtime, patient_id):
        deliver(runtime, appointment_event("completed", patient_id, "99204"))
        [charge] = client.get(f"/charges?patient_id={patient_id}", headers=auth("billing")).get_json()["items"]
        assert charge["status"] == "self-pay"
        return charge

    def test_once_coverage_is_recorded_the_charge_is_billed(self, client, auth, make_coverage, patient_id, charge):
        make_coverage(patient_id)
        response = client.post("/claims", json={"charge_id": charge["id"]},
                               headers={**auth("billing"), "Idempotency-Key": "bill-charge-0001"})
        assert response.status_code == 201 and response.headers["ETag"] == '"1"'
        assert (response.get_json()["status"], response.get_json()["billed"]) == ("draft", money("250.00"))
        again = client.post("/claims", json={"charge_id": charge["id"]},
                            headers={**auth("billing"), "Idempotency-Key": "bill-charge-0001"})
        assert again.get_json()["id"] == response.get_json()["id"]
        assert client.get(f"/charges/{charge['id']}", headers=auth("billing")).get_json()["status"] == "billed"
        assert_problem(client.post("/claims", json={"charge_id": charge["id"]}, headers=auth("billing")), 409)

    def test_without_coverage_it_is_422(self, client, auth, charge):
        assert "coverage_id" in assert_problem(client.post("/claims", json={"charge_id": charge["id"]},
                                                           headers=auth("billing")), 422)["errors"]

    def test_a_coverage_of_another_patient_is_422(self, client, auth, make_coverage, charge):
        other = make_coverage(uuid.uuid4())
        assert "coverage_id" in assert_problem(client.post("/claims", json={
            "charge_id": charge["id"], "coverage_id": other["id"]}, headers=auth("billing")), 422)["errors"]

    def test_an_unknown_charge_is_422(self, client, auth):
        assert "charge_id" in assert_problem(client.post("/claims", json={"charge_id": str(uuid.uuid4())},
                                                         headers=auth("billing")), 422)["errors"]


def test_claims_list_filters_by_status(client, auth, claim):
    assert client.get("/claims?status=draft", headers=auth("billing")).get_json()["total"] == 1
    assert client.get("/claims?status=paid", headers=auth("billing")).get_json()["total"] == 0
    assert "query.status" in assert_problem(client.get("/claims?status=lost", headers=auth("billing")), 422)["errors"]
