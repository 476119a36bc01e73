import uuid

import pytest

from support import coverage_body, if_match, money
from carebridge.testing import assert_problem, audit_trail, put_on_care_team


def test_billing_records_a_coverage_with_the_amounts_met_this_plan_year(client, auth, runtime, patient_id):
    response = client.post("/coverages", json=coverage_body(patient_id), headers=auth("billing"))
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["ETag"] == '"1"'
    assert (body["payer_name"], body["plan_name"], body["order"], body["relationship"]) == (
        "Acme Health", "Acme Health PPO 2026", "primary", "self")
    assert body["copays"] == {"primary-care": money("25.00"), "specialist": money("30.00")}
    assert body["coinsurance_percent"] == "20.00"
    assert body["current_plan_year"] == {"starts_on": "2026-01-01", "deductible_met": money("400.00"),
                                         "out_of_pocket_met": money("900.00")}
    assert body["eligibility"] is None
    trail = audit_trail(runtime)
    assert [(r["action"], r["resource_type"], r["patient_id"], r["outcome"]) for r in trail] == [
        ("create", "coverage", str(patient_id), "success")]


def test_reading_a_coverage_is_audited_once(client, auth, runtime, make_coverage, patient_id):
    coverage = make_coverage(patient_id)
    response = client.get(f"/coverages/{coverage['id']}", headers=auth("coordinator"))
    assert response.status_code == 200 and response.get_json()["member_id"] == "ACM123456"
    reads = [r for r in audit_trail(runtime) if r["action"] == "read"]
    assert [(r["resource_id"], r["roles"]) for r in reads] == [(coverage["id"], "coordinator")]


@pytest.mark.parametrize("change, field", [
    ({"payer_id": None}, "payer_id"),
    ({"coinsurance_percent": "120"}, "coinsurance_percent"),
    ({"deductible": money("10.005")}, "deductible"),
    ({"deductible": money("-1.00")}, "deductible"),
    ({"deductible": money("1e100")}, "deductible"),            # too many digits to round to cents
    ({"coinsurance_percent": "1E+50"}, "coinsurance_percent"),
    ({"copays": {"dental": money("10.00")}}, "copays"),
    ({"order": "quaternary"}, "order"),
    ({"effective_start": "March"}, "effective_start"),
    ({"currency": "dollars"}, "currency"),
    ({"member_id": "ACM\u0000123"}, "member_id"),
    ({"effective_start": "0001-03-01"}, "effective_start"),
    ({"plan_id": "ACME PPO; --"}, "plan_id"),
])
def test_invalid_fields_are_422_and_record_nothing(client, auth, runtime, patient_id, change, field):
    body = assert_problem(client.post("/coverages", json=coverage_body(patient_id, **change),
                                      headers=auth("billing")), 422)
    assert field in body["errors"]
    assert client.get(f"/coverages?patient_id={patient_id}", headers=auth("billing")).get_json()["total"] == 0


@pytest.mark.parametrize("change, field", [
    ({"plan_id": "NOT-A-PLAN"}, "plan_id"),
    ({"effective_end": "2025-12-31"}, "effective_end"),
    ({"deductible_met": money("1000.01")}, "deductible_met"),
    ({"deductible": money("5000.00")}, "deductible"),
    ({"relationship": "child"}, "subscriber_member_id"),
    ({"copays": {"specialist": money("30.00", "EUR")}}, "copays"),
])
def test_rules_refuse_inconsistent_coverage_with_422(client, auth, patient_id, change, field):
    body = assert_problem(client.post("/coverages", json=coverage_body(patient_id, **change),
                                      headers=auth("billing")), 422)
    assert field in body["errors"]


def test_malformed_json_is_400(client, auth):
    assert_problem(client.post("/coverages", data="{", content_type="application/json", headers=auth("billing")), 400)


def test_a_second_overlapping_primary_coverage_is_409(client, auth, make_coverage, patient_id):
    make_coverage(patient_id)
    body = assert_problem(client.post("/coverages", json=coverage_body(patient_id, member_id="OTHER"),
                                      headers=auth("billing")), 409)
    assert "primary" in body["detail"]
    # A secondary coverage beside it is fine.
    make_coverage(patient_id, order="secondary", payer_id="medicare", plan_id="MEDICARE-B")


def test_a_dependant_gives_the_subscribers_member_id(make_coverage, patient_id):
    coverage = make_coverage(patient_id, relationship="child", subscriber_member_id="ACM000001")
    assert (coverage["relationship"], coverage["subscriber_member_id"]) == ("child", "ACM000001")


def test_missing_coverage_is_404(client, auth):
    assert_problem(client.get(f"/coverages/{uuid.uuid4()}", headers=auth("billing")), 404)
    assert_problem(client.patch(f"/coverages/{uuid.uuid4()}", json={"member_id": "X"},
                                headers=if_match(auth("billing"), '"1"')), 404)


class TestUpdates:
    def test_without_if_match_is_428(self, client, auth, make_coverage, patient_id):
        coverage = make_coverage(patient_id)
        assert_problem(client.patch(f"/coverages/{coverage['id']}", json={"member_id": "NEW"},
                                    headers=auth("billing")), 428)

    def test_stale_if_match_is_412_and_changes_nothing(self, client, auth, make_coverage, patient_id):
        coverage = make_coverage(patient_id)
        assert_problem(client.patch(f"/coverages/{coverage['id']}", json={"member_id": "NEW"},
                                    headers=if_match(auth("billing"), '"7"')), 412)
        assert client.get(f"/coverages/{coverage['id']}", headers=auth("billing")).get_json()["member_id"] == \
            "ACM123456"

    def test_copays_and_amounts_met_change_and_move_the_etag(self, client, auth, make_coverage, patient_id):
        coverage = make_coverage(patient_id)
        response = client.patch(f"/coverages/{coverage['id']}", headers=if_match(auth("billing"), '"1"'), json={
            "copays": {"therapy": money("40.00")}, "deductible_met": money("650.00")})
        assert response.status_code == 200, response.get_json()
        assert response.headers["ETag"] == '"2"'
        body = response.get_json()
        assert body["copays"] == {"therapy": money("40.00")}
        assert body["current_plan_year"]["deductible_met"] == money("650.00")
        assert body["current_plan_year"]["out_of_pocket_met"] == money("900.00")

    def test_lowering_the_deductible_below_what_was_met_is_422(self, client, auth, make_coverage, patient_id):
        coverage = make_coverage(patient_id)
        body = assert_problem(client.patch(f"/coverages/{coverage['id']}", json={"deductible": money("100.00")},
                                           headers=if_match(auth("billing"), '"1"')), 422)
        assert "deductible_met" in body["errors"]

    def test_an_empty_change_is_422(self, client, auth, make_coverage, patient_id):
        coverage = make_coverage(patient_id)
        assert_problem(client.patch(f"/coverages/{coverage['id']}", json={},
                                    headers=if_match(auth("billing"), '"1"')), 422)

    def test_cancelling_frees_the_order_for_a_new_coverage(self, client, auth, make_coverage, patient_id):
        coverage = make_coverage(patient_id)
        assert client.patch(f"/coverages/{coverage['id']}", json={"status": "cancelled"},
                            headers=if_match(auth("billing"), '"1"')).status_code == 200
        make_coverage(patient_id, member_id="NEW-CARD")


class TestList:
    def test_filtered_by_patient_with_one_search_record(self, client, auth, runtime, make_coverage):
        mine, other = uuid.uuid4(), uuid.uuid4()
        make_coverage(mine)
        make_coverage(other)
        before = len(audit_trail(runtime))
        page = client.get(f"/coverages?patient_id={mine}", headers=auth("billing")).get_json()
        assert [c["patient_id"] for c in page["items"]] == [str(mine)] and page["total"] == 1
        searches = audit_trail(runtime)[before:]
        assert [(r["action"], r["patient_id"]) for r in searches] == [("search", str(mine))]

    def test_unfiltered_list_pages_and_records_a_search_per_patient_shown(self, client, auth, runtime,
                                                                          make_coverage):
        for _ in range(3):
            make_coverage(uuid.uuid4())
        before = len(audit_trail(runtime))
        page = client.get("/coverages?page_size=2", headers=auth("coordinator")).get_json()
        assert (len(page["items"]), page["total"]) == (2, 3)
        assert sorted((r["action"], r["patient_id"]) for r in audit_trail(runtime)[before:]) == sorted(
            ("search", item["patient_id"]) for item in page["items"])

    def test_invalid_query_is_422(self, client, auth):
        assert "query.status" in assert_problem(client.get("/coverages?status=lapsed", headers=auth("billing")),
                                                422)["errors"]


class TestSummary:
    def test_care_team_nurse_reads_the_summary_without_member_numbers(self, client, auth, runtime, make_coverage,
                                                                      patient_id):
        coverage = make_coverage(patient_id)
        nurse = uuid.uuid4()
        put_on_care_team(runtime, patient_id, nurse)
        response = client.get(f"/coverages/summary?patient_id={patient_id}", headers=auth("nurse", sub=nurse))
        assert response.status_code == 200
        body = response.get_json()
        [item] = body["coverages"]
        assert item["coverage_id"] == coverage["id"] and item["copays"]["specialist"] == money("30.00")
        assert "member_id" not in item and "group_id" not in item
        assert audit_trail(runtime)[-1]["resource_type"] == "coverage-summary"
        assert audit_trail(runtime)[-1]["roles"] == "nurse"

    def test_summary_lists_coverages_in_effect_on_the_date_primary_first(self, client, auth, make_coverage,
                                                                         patient_id):
        make_coverage(patient_id, order="secondary", payer_id="medicare", plan_id="MEDICARE-B")
        make_coverage(patient_id, effective_end="2026-06-30")
        on_date = client.get(f"/coverages/summary?patient_id={patient_id}&on=2026-03-10",
                             headers=auth("billing")).get_json()
        assert [c["order"] for c in on_date["coverages"]] == ["primary", "secondary"]
        later = client.get(f"/coverages/summary?patient_id={patient_id}&on=2026-07-01",
                           headers=auth("billing")).get_json()
        assert [c["order"] for c in later["coverages"]] == ["secondary"]

    def test_summary_needs_a_patient_and_a_sensible_date(self, client, auth, patient_id):
        assert "query.patient_id" in assert_problem(client.get("/coverages/summary", headers=auth("billing")),
                                                    422)["errors"]
        assert "query.on" in assert_problem(client.get(f"/coverages/summary?patient_id={patient_id}&on=0001-03-01",
                                                       headers=auth("billing")), 422)["errors"]


class TestEligibility:
    def test_payer_answer_is_recorded_and_shown_on_the_coverage(self, client, auth, make_coverage, payer,
                                                                patient_id):
        coverage = make_coverage(patient_id)
        response = client.post(f"/coverages/{coverage['id']}/eligibility-checks", json={},
                               headers=auth("billing"))
        assert response.status_code == 201
        assert (response.get_json()["status"], response.get_json()["service_date"]) == ("active", "2026-03-02")
        shown = client.get(f"/coverages/{coverage['id']}", headers=auth("billing")).get_json()["eligibility"]
        assert shown["status"] == "active"

    def test_a_terminated_member_is_inactive(self, client, auth, make_coverage, payer, patient_id):
        coverage = make_coverage(patient_id, member_id="ACM-TERMINATED")
        body = client.post(f"/coverages/{coverage['id']}/eligibility-checks", json={"service_date": "2026-04-01"},
                           headers=auth("billing")).get_json()
        assert (body["status"], body["reason_code"], body["service_date"]) == (
            "inactive", "coverage-terminated", "2026-04-01")

    def test_payer_outage_is_a_503_for_this_answer_only(self, client, auth, make_coverage, payer, patient_id):
        coverage = make_coverage(patient_id)
        payer.down = True
        body = assert_problem(client.post(f"/coverages/{coverage['id']}/eligibility-checks", json={},
                                          headers=auth("billing")), 503)
        assert "payer" in body["detail"]
        assert client.get(f"/coverages/{coverage['id']}", headers=auth("billing")).status_code == 200
        assert client.post("/estimates", json={"patient_id": str(patient_id), "service_code": "99214"},
                           headers=auth("billing")).status_code == 201


class TestAnInactiveAnswerTakesTheCoverageOutOfForce:
    """Issue 25, item 1: the payer's answer changes the coverage, estimates and the care team's summary."""

    def test_a_terminated_coverage_becomes_inactive_and_estimates_stop_using_it(
            self, client, auth, runtime, make_coverage, payer, patient_id):
        coverage = make_coverage(patient_id, member_id="ACM-TERMINATED")
        client.post(f"/coverages/{coverage['id']}/eligibility-checks", json={}, headers=auth("billing"))
        assert client.get(f"/coverages/{coverage['id']}", headers=auth("billing")).get_json()["status"] == "inactive"
        estimate = client.post("/estimates", json={"patient_id": str(patient_id), "service_code": "99214"},
                               headers=auth("billing")).get_json()
        assert estimate["basis"] == "no-coverage"
        assert estimate["coverage_id"] is None
        assert "Acme Health PPO 2026" in estimate["explanation"]
        assert "coverage-terminated" in estimate["explanation"]

    def test_the_care_teams_summary_shows_the_coverage_as_inactive(
            self, client, auth, runtime, make_coverage, payer, patient_id):
        coverage = make_coverage(patient_id, member_id="ACM-TERMINATED")
        nurse = uuid.uuid4()
        put_on_care_team(runtime, patient_id, nurse, role="nurse")
        before = client.get(f"/coverages/summary?patient_id={patient_id}", headers=auth("nurse", sub=str(nurse)))
        assert [c["status"] for c in before.get_json()["coverages"]] == ["active"]
        client.post(f"/coverages/{coverage['id']}/eligibility-checks", json={}, headers=auth("billing"))
        after = client.get(f"/coverages/summary?patient_id={patient_id}",
                           headers=auth("nurse", sub=str(nurse))).get_json()["coverages"]
        assert [(c["coverage_id"], c["status"], c["status_reason"]) for c in after] == [
            (coverage["id"], "inactive", "coverage-terminated")]

    def test_staff_may_put_an_inactive_coverage_back_in_force(
            self, client, auth, make_coverage, payer, patient_id):
        coverage = make_coverage(patient_id, member_id="ACM-TERMINATED")
        client.post(f"/coverages/{coverage['id']}/eligibility-checks", json={}, headers=auth("billing"))
        current = client.get(f"/coverages/{coverage['id']}", headers=auth("billing"))
        changed = client.patch(f"/coverages/{coverage['id']}", json={"status": "active"},
                               headers=if_match(auth("billing"), current.headers["ETag"]))
        assert changed.status_code == 200 and changed.get_json()["status"] == "active"
        estimate = client.post("/estimates", json={"patient_id": str(patient_id), "service_code": "99214"},
                               headers=auth("billing")).get_json()
        assert estimate["basis"] == "with-coverage"

    def test_staff_cannot_set_inactive_themselves(self, client, auth, make_coverage, patient_id):
        coverage = make_coverage(patient_id)
        current = client.get(f"/coverages/{coverage['id']}", headers=auth("billing"))
        body = assert_problem(client.patch(f"/coverages/{coverage['id']}", json={"status": "inactive"},
                                           headers=if_match(auth("billing"), current.headers["ETag"])), 422)
        assert "status" in body["errors"]
