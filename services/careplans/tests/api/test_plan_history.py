"""A plan's versions and the differences between them."""
import uuid

import pytest

from support import FUROSEMIDE, activity_of, create_plan, diet, medication, plan_body, revise


@pytest.fixture
def three_versions(client, as_, team):
    v1 = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("furosemide", FUROSEMIDE, dose="40 mg")]))
    medicine = activity_of(v1, "medication")
    v2 = revise(client, as_("physician"), v1, reason="more fluid on the scales", activities=[
        {"id": medicine["id"], "medication": {**medicine["medication"], "dose": "80 mg"}}]).get_json()
    v3 = revise(client, as_("nurse"), v2, reason="diet advice", activities=[diet()], title="HF care").get_json()
    return v1, v2, v3


def test_history_lists_every_version_newest_first(client, as_, three_versions, team):
    v1, _, _ = three_versions
    page = client.get(f"/care-plans/{v1['id']}/versions", headers=as_("specialist")).get_json()
    assert [(v["version"], v["reason"], v["author"]) for v in page["items"]] == [
        (3, "diet advice", str(team.nurse_id)), (2, "more fluid on the scales", str(team.physician_id)),
        (1, "Plan created", str(team.coordinator_id))]


def test_each_version_holds_the_plan_as_it_then_stood(client, as_, three_versions):
    v1, v2, _ = three_versions
    version = client.get(f"/care-plans/{v1['id']}/versions/2", headers=as_("nurse")).get_json()
    assert version["version"] == 2 and version["changed_sections"] == ["medications"]
    assert activity_of(version["document"], "medication")["medication"]["dose"] == "80 mg"
    assert version["document"]["title"] == v2["title"] and version["medication_alerts"] == []
    first = client.get(f"/care-plans/{v1['id']}/versions/1", headers=as_("nurse")).get_json()
    assert activity_of(first["document"], "medication")["medication"]["dose"] == "40 mg"


def test_the_diff_between_any_two_versions_says_what_changed_by_section(client, as_, three_versions):
    v1, _, v3 = three_versions
    response = client.get(f"/care-plans/{v1['id']}/diff?from=1&to=3", headers=as_("nurse"))
    assert response.status_code == 200
    change = response.get_json()
    assert change["changed_sections"] == ["activities", "medications", "details"]
    assert change["details"] == {"title": {"from": "Heart failure care", "to": "HF care"}}
    [dose] = change["medications"]["changed"]
    assert dose["changes"] == {"medication.dose": {"from": "40 mg", "to": "80 mg"}}
    assert [a["kind"] for a in change["activities"]["added"]] == ["diet"]
    backwards = client.get(f"/care-plans/{v1['id']}/diff?from=3&to=1", headers=as_("nurse")).get_json()
    assert [a["kind"] for a in backwards["activities"]["removed"]] == ["diet"]


@pytest.mark.parametrize("path", ["versions/9", "diff?from=1&to=9", "diff?from=9&to=1"])
def test_an_unknown_version_is_404(client, as_, three_versions, path):
    v1, _, _ = three_versions
    assert client.get(f"/care-plans/{v1['id']}/{path}", headers=as_("nurse")).status_code == 404


@pytest.mark.parametrize("path", ["versions", "versions/1", "diff?from=1&to=2"])
def test_history_of_an_unknown_plan_is_404(client, as_, team, path):
    assert client.get(f"/care-plans/{uuid.uuid4()}/{path}", headers=as_("coordinator")).status_code == 404
    assert client.get(f"/care-plans/{uuid.uuid4()}/{path}", headers=as_("nurse")).status_code == 403


@pytest.mark.parametrize("query", ["", "?from=1", "?from=0&to=1", "?from=a&to=2"])
def test_a_diff_needs_two_version_numbers(client, as_, three_versions, query):
    v1, _, _ = three_versions
    response = client.get(f"/care-plans/{v1['id']}/diff{query}", headers=as_("nurse"))
    assert response.status_code == 422
