"""GET /patients: finding patients by name, birth date, MRN, care-team member, status."""
from datetime import timedelta

import pytest

from carebridge.testing import assert_problem
from support import audit_of


@pytest.fixture
def people(staff):
    return {
        "jose": staff.patient(given_name="José", family_name="Muñoz-García", mrn="MRN-0001", birth_date="1951-07-14"),
        "joseph": staff.patient(given_name="Joseph", family_name="Munoz", mrn="MRN-0002", birth_date="1962-01-30",
                                middle_name=None, preferred_name="Joe"),
        "zoe": staff.patient(given_name="Zoë", family_name="O'Brien", mrn="MRN-0003", birth_date="1951-07-14",
                             middle_name=None),
    }


def found(client, headers, query):
    response = client.get(f"/patients?{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [p["mrn"] for p in response.get_json()["items"]]


def test_name_search_ignores_case_and_accents_and_matches_parts(client, coordinator, people, subtests):
    for query, mrns in [
        ("q=munoz", ["MRN-0002", "MRN-0001"]),      # by family name, then given name
        ("q=MUÑOZ", ["MRN-0002", "MRN-0001"]),
        ("q=jos%C3%A9%20garc%C3%ADa", ["MRN-0001"]),
        ("q=jos", ["MRN-0002", "MRN-0001"]),
        ("q=garcia%20jo", ["MRN-0001"]),             # every word must match, in any order
        ("q=ANGEL", ["MRN-0001"]),                  # the middle name counts
        ("q=obrien", ["MRN-0003"]),
        ("q=o'brien", ["MRN-0003"]),
        ("q=zoe", ["MRN-0003"]),
        ("q=joe", ["MRN-0002"]),                     # the preferred name counts
        ("q=%25", []),                               # no wildcard gets through
    ]:
        with subtests.test(query=query):
            assert found(client, coordinator, query) == mrns


def test_birth_date_mrn_and_status_filters_combine(client, staff, coordinator, people, subtests):
    client.put(f"/patients/{people['zoe']['id']}/status", json={"status": "inactive"},
               headers={**coordinator, "If-Match": '"1"'})
    for query, mrns in [
        ("birth_date=1951-07-14", ["MRN-0001", "MRN-0003"]),
        ("birth_date=1951-07-14&status=active", ["MRN-0001"]),
        ("mrn=MRN-0002", ["MRN-0002"]),
        ("mrn=MRN-000", []),
        ("status=inactive", ["MRN-0003"]),
        ("q=munoz&birth_date=1962-01-30", ["MRN-0002"]),
    ]:
        with subtests.test(query=query):
            assert found(client, coordinator, query) == mrns


def test_care_team_member_finds_the_patients_of_an_active_membership(client, staff, coordinator, people, clock):
    nurse = staff.practitioner("nurse")
    staff.team(people["jose"]["id"], [nurse["id"]])
    staff.team(people["zoe"]["id"], [{"practitioner_id": nurse["id"],
                                      "period_start": (clock.now() - timedelta(days=30)).isoformat(),
                                      "period_end": (clock.now() - timedelta(days=1)).isoformat()}])
    staff.team(people["joseph"]["id"], [nurse["id"]], status="proposed")
    assert found(client, coordinator, f"care_team_member={nurse['id']}") == ["MRN-0001"]


def test_nurses_find_only_their_patients_billing_finds_all(client, staff, auth, people):
    nurse = staff.practitioner("nurse")
    staff.team(people["zoe"]["id"], [nurse["id"]])
    assert found(client, staff.headers_of(nurse), "") == ["MRN-0003"]
    assert found(client, staff.headers_of(nurse), "q=munoz") == []
    assert len(found(client, auth("billing"), "")) == 3
    assert found(client, auth("physician", sub="not-a-practitioner"), "") == []


def test_results_are_paginated(client, coordinator, people):
    page = client.get("/patients?page=2&page_size=2", headers=coordinator).get_json()
    assert (page["page"], page["page_size"], page["total"], len(page["items"])) == (2, 2, 3, 1)


def test_each_search_is_audited_for_the_patients_it_showed(client, coordinator, runtime, people):
    shown = client.get("/patients?q=munoz", headers=coordinator).get_json()["items"]
    assert shown
    records = audit_of(runtime, action="search")
    assert {(r["resource_type"], r["outcome"]) for r in records} == {("patient", "success")}
    assert sorted(r["patient_id"] for r in records) == sorted(item["id"] for item in shown)


def test_a_search_that_finds_nobody_is_audited_once_without_a_patient(client, coordinator, runtime, people):
    assert found(client, coordinator, "q=nobody-by-this-name") == []
    [record] = audit_of(runtime, action="search")
    assert (record["resource_type"], record["patient_id"], record["outcome"]) == ("patient", None, "success")


def test_bad_criteria_are_422_naming_the_parameter(client, coordinator, subtests):
    for query, parameter in [("birth_date=1951-13-01", "query.birth_date"), ("status=asleep", "query.status"),
                             ("care_team_member=bob", "query.care_team_member"), ("page_size=500", "query.page_size"),
                             ("q=", "query.q"), ("colour=blue", "query.colour")]:
        with subtests.test(query=query):
            assert parameter in assert_problem(client.get(f"/patients?{query}", headers=coordinator), 422)["errors"]
