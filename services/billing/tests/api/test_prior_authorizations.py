import uuid

import pytest

from support import appointment_event, if_match
from carebridge.testing import assert_problem, deliver, outbox
from carebridge_billing.jobs.payer_status import PAYER_STATUS


def request_authorization(client, auth, patient_id, **fields):
    return client.post("/prior-authorizations", json={"patient_id": str(patient_id), "service_code": "97110",
                                                      **fields}, headers=auth("billing"))


def test_staff_request_is_sent_to_the_payer_at_once(client, auth, runtime, make_coverage, patient_id, payer):
    coverage = make_coverage(patient_id)
    response = request_authorization(client, auth, patient_id, units=6)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["requested_units"], body["coverage_id"], body["submission_attempts"]) == (
        "requested", 6, coverage["id"], 1)
    assert body["payer_reference"].startswith("SIM-PA-") and body["submitted_at"]
    assert outbox(runtime, "billing.prior-auth-requested")[0].data["requested_units"] == 6


def test_the_payer_pends_then_approves_and_each_decision_is_published(client, auth, runtime, make_coverage,
                                                                      patient_id, payer, clock):
    make_coverage(patient_id)
    deliver(runtime, appointment_event("booked", patient_id, "72148"))
    [item] = client.get(f"/prior-authorizations?patient_id={patient_id}", headers=auth("billing")).get_json()["items"]
    from carebridge_billing.jobs.payer_submissions import PAYER_SUBMISSIONS
    PAYER_SUBMISSIONS.run(runtime)
    clock.advance(minutes=30)
    PAYER_STATUS.run(runtime)
    assert client.get(f"/prior-authorizations/{item['id']}", headers=auth("billing")).get_json()["status"] == "pended"
    clock.advance(days=2)
    PAYER_STATUS.run(runtime)
    body = client.get(f"/prior-authorizations/{item['id']}", headers=auth("billing")).get_json()
    assert (body["status"], body["authorized_units"], body["units_reserved"], body["expires_on"]) == (
        "approved", 1, 1, "2026-05-03")
    decided = outbox(runtime, "billing.prior-auth-decided")
    assert [(d.data["status"], d.data["authorized_units"]) for d in decided] == [("pended", None), ("approved", 1)]


def test_a_denied_request_carries_its_reasons(client, auth, runtime, make_coverage, patient_id, payer, clock):
    make_coverage(patient_id, payer_id="bluestone-mutual", plan_id="BSM-BASIC", copays={})
    created = request_authorization(client, auth, patient_id, service_code="72148").get_json()
    clock.advance(days=1)
    PAYER_STATUS.run(runtime)
    body = client.get(f"/prior-authorizations/{created['id']}", headers=auth("billing")).get_json()
    assert body["status"] == "denied" and [r["code"] for r in body["reasons"]] == ["50"]
    assert outbox(runtime, "billing.prior-auth-decided")[-1].data["reason_codes"] == ["50"]


def test_payer_down_keeps_the_request_for_the_job(client, auth, make_coverage, patient_id, payer):
    make_coverage(patient_id)
    payer.down = True
    body = request_authorization(client, auth, patient_id).get_json()
    assert (body["status"], body["payer_reference"], body["last_error"]) == ("requested", None, "payer-unavailable")


@pytest.mark.parametrize("fields, error", [
    ({"service_code": "00000"}, "service_code"), ({"units": 0}, "units"), ({"coverage_id": "nope"}, "coverage_id")])
def test_invalid_requests_are_422(client, auth, make_coverage, patient_id, payer, fields, error):
    make_coverage(patient_id)
    assert error in assert_problem(request_authorization(client, auth, patient_id, **fields), 422)["errors"]


def test_without_coverage_a_request_is_422(client, auth, patient_id):
    assert "coverage_id" in assert_problem(request_authorization(client, auth, patient_id), 422)["errors"]


class TestWithdraw:
    @pytest.fixture
    def open_request(self, client, auth, make_coverage, patient_id, payer):
        make_coverage(patient_id)
        return request_authorization(client, auth, patient_id).get_json()

    def test_needs_if_match(self, client, auth, open_request):
        assert_problem(client.post(f"/prior-authorizations/{open_request['id']}/withdraw", headers=auth("billing")), 428)
        assert_problem(client.post(f"/prior-authorizations/{open_request['id']}/withdraw",
                                   headers=if_match(auth("billing"), '"42"')), 412)

    def test_withdraws_an_undecided_request_once(self, client, auth, runtime, open_request, clock):
        response = client.post(f"/prior-authorizations/{open_request['id']}/withdraw",
                               headers=if_match(auth("billing"), f'"{open_request["version"]}"'))
        assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
        clock.advance(days=3)
        assert PAYER_STATUS.run(runtime) == 0  # no longer asked about
        body = assert_problem(client.post(f"/prior-authorizations/{open_request['id']}/withdraw",
                                          headers=if_match(auth("billing"), response.headers["ETag"])), 409)
        assert body["allowed"] == []

    def test_missing_is_404(self, client, auth):
        assert_problem(client.post(f"/prior-authorizations/{uuid.uuid4()}/withdraw",
                                   headers=if_match(auth("billing"), '"1"')), 404)
        assert_problem(client.get(f"/prior-authorizations/{uuid.uuid4()}", headers=auth("billing")), 404)


def test_list_filters(client, auth, make_coverage, patient_id, payer):
    make_coverage(patient_id)
    request_authorization(client, auth, patient_id)
    request_authorization(client, auth, patient_id, service_code="72148")
    assert client.get("/prior-authorizations?service_code=72148", headers=auth("billing")).get_json()["total"] == 1
    assert client.get("/prior-authorizations?status=approved", headers=auth("billing")).get_json()["total"] == 0
