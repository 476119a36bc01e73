import uuid

import pytest

from support import money
from carebridge.testing import assert_problem, audit_trail, outbox, put_on_care_team


def estimate(client, headers, patient_id, **fields):
    return client.post("/estimates", json={"patient_id": str(patient_id), **fields}, headers=headers)


def test_specialist_visit_by_appointment_type_uses_the_specialist_copay(client, auth, make_coverage, patient_id):
    make_coverage(patient_id)
    response = estimate(client, auth("billing"), patient_id, appointment_type_code="cardiology-follow-up",
                        service_date="2026-03-10")
    assert response.status_code == 201
    body = response.get_json()
    assert (body["service_code"], body["category"], body["basis"]) == ("99214", "specialist", "with-coverage")
    assert (body["price"], body["patient_pays"], body["plan_pays"]) == (
        money("185.00"), money("30.00"), money("155.00"))
    assert body["explanation"].startswith("Your plan charges a $30 copay for specialist visits. You have met $400 "
                                          "of your $1,000 deductible")


def test_imaging_applies_deductible_then_coinsurance(client, auth, make_coverage, patient_id):
    make_coverage(patient_id)
    body = estimate(client, auth("billing"), patient_id, service_code="72148").get_json()
    assert body["patient_share"] == {"copay": money("0.00"), "deductible": money("600.00"),
                                     "coinsurance": money("130.00")}
    assert (body["patient_pays"], body["plan_pays"], body["service_date"]) == (
        money("730.00"), money("520.00"), "2026-03-02")


def test_without_coverage_the_estimate_is_the_full_price(client, auth, patient_id):
    body = estimate(client, auth("billing"), patient_id, service_code="72148", service_date="2026-03-10").get_json()
    assert (body["basis"], body["coverage_id"], body["patient_pays"]) == ("no-coverage", None, money("1250.00"))
    assert body["explanation"].startswith("We have no active insurance on file for you on March 10, 2026")


def test_a_service_the_plan_excludes_is_the_full_price(client, auth, make_coverage, patient_id):
    make_coverage(patient_id, plan_id="ACME-HMO-2026")
    body = estimate(client, auth("billing"), patient_id, appointment_type_code="telehealth-check-in").get_json()
    assert (body["basis"], body["patient_pays"]) == ("not-covered", money("25.00"))


def test_a_paid_out_of_pocket_maximum_makes_it_free(client, auth, make_coverage, patient_id):
    make_coverage(patient_id, deductible_met=money("1000.00"), out_of_pocket_met=money("3000.00"))
    body = estimate(client, auth("billing"), patient_id, service_code="93306").get_json()
    assert (body["patient_pays"], body["plan_pays"]) == (money("0.00"), money("1450.00"))
    assert "out-of-pocket maximum" in body["explanation"]


@pytest.mark.parametrize("fields, error_field", [
    ({}, "service_code"),
    ({"service_code": "00000"}, "service_code"),
    ({"appointment_type_code": "acupuncture"}, "appointment_type_code"),
    ({"appointment_type_code": "follow-up", "service_code": "72148"}, "service_code"),
    ({"service_code": "99214", "service_date": "2024-01-01"}, "service_code"),
    ({"service_code": "99214", "service_date": "soon"}, "service_date"),
    ({"service_code": "99214", "service_date": "9999-12-31"}, "service_date"),
    ({"service_code": "992 14"}, "service_code"),
])
def test_unknown_or_inconsistent_services_are_422(client, auth, patient_id, fields, error_field):
    assert error_field in assert_problem(estimate(client, auth("billing"), patient_id, **fields), 422)["errors"]


def test_care_team_physician_asks_for_and_reads_an_estimate(client, auth, runtime, patient_id):
    physician = uuid.uuid4()
    put_on_care_team(runtime, patient_id, physician, role="physician")
    created = estimate(client, auth("physician", sub=physician), patient_id, service_code="97110")
    assert created.status_code == 201
    read = client.get(f"/estimates/{created.get_json()['id']}", headers=auth("physician", sub=physician))
    assert read.status_code == 200 and read.get_json()["patient_pays"] == money("120.00")
    assert [(r["action"], r["resource_type"]) for r in audit_trail(runtime)] == [
        ("create", "estimate"), ("read", "estimate")]


def test_listing_shows_a_nurse_only_her_patients_estimates(client, auth, runtime):
    mine, theirs, nurse = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    put_on_care_team(runtime, mine, nurse)
    for patient in (mine, theirs):
        assert estimate(client, auth("billing"), patient, service_code="99214").status_code == 201
    page = client.get("/estimates", headers=auth("nurse", sub=nurse)).get_json()
    assert [item["patient_id"] for item in page["items"]] == [str(mine)]
    assert client.get("/estimates", headers=auth("billing")).get_json()["total"] == 2
    assert client.get(f"/estimates?patient_id={theirs}", headers=auth("nurse", sub=nurse)).status_code == 403
    assert audit_trail(runtime)[-1]["outcome"] == "denied"


def test_idempotency_key_replays_the_same_estimate(client, auth, patient_id):
    headers = {**auth("billing"), "Idempotency-Key": "estimate-retry-001"}
    first = estimate(client, headers, patient_id, service_code="99214")
    second = estimate(client, headers, patient_id, service_code="99214")
    assert first.get_json()["id"] == second.get_json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert client.get(f"/estimates?patient_id={patient_id}", headers=auth("billing")).get_json()["total"] == 1


def test_missing_estimate_is_404(client, auth):
    assert_problem(client.get(f"/estimates/{uuid.uuid4()}", headers=auth("billing")), 404)


def send(client, headers, estimate_id, **body):
    return client.post(f"/estimates/{estimate_id}/send", json=body, headers=headers)


def test_sending_an_estimate_announces_its_codes_and_amounts_for_the_letter(client, auth, runtime, make_coverage,
                                                                            patient_id):
    make_coverage(patient_id)
    created = estimate(client, auth("billing"), patient_id, appointment_type_code="cardiology-follow-up",
                       service_date="2026-03-10").get_json()
    response = send(client, auth("billing"), created["id"])
    assert response.status_code == 202
    sent = response.get_json()
    assert (sent["estimate_id"], sent["patient_id"], sent["include_family"]) == (created["id"], str(patient_id), True)
    [event] = outbox(runtime, "billing.estimate-sent")
    assert event.data["sending_id"] == sent["sending_id"] and event.data["estimate_id"] == created["id"]
    assert (event.data["appointment_type_code"], event.data["category"], event.data["basis"],
            event.data["service_date"]) == ("cardiology-follow-up", "specialist", "with-coverage", "2026-03-10")
    assert (event.data["charge"], event.data["copay"], event.data["patient_pays"], event.data["plan_pays"]) == (
        money("185.00"), money("30.00"), money("30.00"), money("155.00"))
    # Codes and money only: no explanation text, no names.
    assert "explanation" not in event.data and "created_by" not in event.data
    assert audit_trail(runtime)[-1]["resource_type"] == "estimate-sending"


def test_the_family_can_be_left_out_and_a_care_team_nurse_may_send(client, auth, runtime, patient_id):
    nurse = uuid.uuid4()
    put_on_care_team(runtime, patient_id, nurse, role="nurse")
    created = estimate(client, auth("billing"), patient_id, service_code="99214").get_json()
    assert send(client, auth("nurse", sub=nurse), created["id"], include_family=False).status_code == 202
    [event] = outbox(runtime, "billing.estimate-sent")
    assert event.data["include_family"] is False and event.data["basis"] == "no-coverage"


def test_sending_is_refused_off_the_care_team_for_a_past_day_and_for_bad_input(client, auth, runtime, patient_id,
                                                                               clock):
    created = estimate(client, auth("billing"), patient_id, service_code="99214").get_json()
    assert_problem(send(client, auth("nurse", sub=uuid.uuid4()), created["id"]), 403)
    assert_problem(send(client, auth("billing"), uuid.uuid4()), 404)
    assert "include_family" in assert_problem(send(client, auth("billing"), created["id"], include_family="maybe"),
                                              422)["errors"]
    clock.advance(days=1)  # the estimate was for the day before
    assert assert_problem(send(client, auth("billing"), created["id"]), 409)["service_date"] == "2026-03-02"
    assert outbox(runtime, "billing.estimate-sent") == []
