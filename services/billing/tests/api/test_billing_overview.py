"""GET /billing-overview: a patient's coverage summary, open prior
authorizations, latest claims and billing issues in one read, each as its
own endpoint answers it."""
import uuid

from carebridge.testing import assert_problem, audit_trail, put_on_care_team


def overview(client, headers, patient_id, **query):
    return client.get("/billing-overview", query_string={"patient_id": patient_id, **query}, headers=headers)


def listed(client, headers, path, **query) -> dict:
    return client.get(path, query_string=query, headers=headers).get_json()


def test_billing_staff_read_the_four_sections_as_their_own_endpoints_answer_them(client, auth, runtime, world):
    billing, patient_id = auth("billing"), world["patient_id"]
    before = len(audit_trail(runtime))

    response = overview(client, billing, patient_id)

    assert response.status_code == 200
    body = response.get_json()
    assert [(r["resource_type"], r["patient_id"], r["outcome"]) for r in audit_trail(runtime)[before:]] == [
        ("billing-overview", patient_id, "success")]
    assert body["patient_id"] == patient_id
    assert body["coverage"] == listed(client, billing, "/coverages/summary", patient_id=patient_id)
    assert body["claims"] == listed(client, billing, "/claims", patient_id=patient_id, page_size=10)
    assert body["billing_issues"] == listed(client, billing, "/billing-issues", patient_id=patient_id, page_size=10)
    every_request = listed(client, billing, "/prior-authorizations", patient_id=patient_id, page_size=100)["items"]
    open_ones = [pa for pa in every_request if pa["status"] in ("requested", "pended")]
    assert body["prior_authorizations"]["items"] == open_ones
    assert body["prior_authorizations"]["total"] == len(open_ones) == 1
    assert (body["claims"]["total"], body["billing_issues"]["total"]) == (1, 1)


def test_only_open_prior_authorizations_and_the_latest_claims_and_issues(client, auth, clock, world):
    billing, patient_id = auth("billing"), world["patient_id"]
    clock.advance(minutes=5)
    newer = client.post("/billing-issues", json={"patient_id": patient_id, "category": "other",
                                                 "summary": "Another question."}, headers=billing).get_json()
    decided = client.post("/prior-authorizations", json={"patient_id": patient_id, "service_code": "72148"},
                          headers=billing).get_json()
    withdrawn = client.post(f"/prior-authorizations/{decided['id']}/withdraw",
                            headers={**billing, "If-Match": f'"{decided["version"]}"'})
    assert withdrawn.get_json()["status"] == "withdrawn"

    body = overview(client, billing, patient_id, latest=1).get_json()

    assert [i["id"] for i in body["billing_issues"]["items"]] == [newer["id"]]
    assert (body["billing_issues"]["total"], body["billing_issues"]["page_size"]) == (2, 1)
    assert decided["id"] not in {pa["id"] for pa in body["prior_authorizations"]["items"]}
    assert all(pa["status"] in ("requested", "pended") for pa in body["prior_authorizations"]["items"])


def test_the_care_team_reads_the_coverage_only(client, auth, runtime, world):
    physician = uuid.uuid4()
    put_on_care_team(runtime, uuid.UUID(world["patient_id"]), physician, role="physician")

    body = overview(client, auth("physician", sub=physician), world["patient_id"]).get_json()

    assert body["coverage"] == listed(client, auth("billing"), "/coverages/summary", patient_id=world["patient_id"])
    assert (body["prior_authorizations"], body["claims"], body["billing_issues"]) == (None, None, None)


def test_bad_queries_are_422_and_change_nothing(client, auth, runtime, world):
    before = len(audit_trail(runtime))
    for query in ({"latest": 0}, {"latest": 101}, {"on": "not-a-date"}):
        assert_problem(overview(client, auth("billing"), world["patient_id"], **query), 422)
    assert_problem(client.get("/billing-overview", headers=auth("billing")), 422)
    assert len(audit_trail(runtime)) == before
