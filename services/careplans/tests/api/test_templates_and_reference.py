"""Plan templates and the interaction table over HTTP, and starting a plan
from a template."""
import uuid

import pytest

from support import LISINOPRIL, WARFARIN, create_plan, medication, plan_body
from carebridge.testing import outbox


def instantiate(client, headers, team, **extra):
    body = {"template_code": "heart-failure-post-discharge", "patient_id": str(team.patient_id),
            "start_date": "2026-03-02", **extra}
    return client.post("/care-plans/from-template", json=body, headers=headers)


def test_templates_are_listed_with_what_can_be_left_out(client, auth):
    templates = client.get("/plan-templates", headers=auth("billing")).get_json()
    by_code = {t["code"]: t for t in templates}
    assert {"heart-failure-post-discharge", "type-2-diabetes-new-diagnosis",
            "hip-replacement-rehabilitation"} <= by_code.keys()
    assert "spironolactone" in by_code["heart-failure-post-discharge"]["activity_keys"]
    assert all(t["sources"] for t in templates)


def test_one_template_in_full_and_an_unknown_one_is_404(client, auth):
    template = client.get("/plan-templates/hip-replacement-rehabilitation", headers=auth("nurse")).get_json()
    assert template["duration_days"] == 90 and template["warning_signs"]
    assert client.get("/plan-templates/nope", headers=auth("nurse")).status_code == 404


def test_reference_data_needs_a_token(client):
    assert client.get("/plan-templates").status_code == 401
    assert client.get("/interactions").status_code == 401


def test_a_template_becomes_a_draft_plan_with_dates_from_its_start(client, as_, team, runtime):
    response = instantiate(client, as_("coordinator"), team,
                           contacts=[{"role": "coordinator", "name": "Sam", "phone": "+1 555 0100"}])
    assert response.status_code == 201
    plan = response.get_json()
    assert (plan["status"], plan["template"]) == ("draft", {"code": "heart-failure-post-discharge",
                                                            "version": "2026.1"})
    assert plan["period"] == {"start": "2026-03-02", "end": "2026-05-31"}
    cardiology = [a for a in plan["activities"] if a["kind"] == "follow-up"
                  and a["follow_up"]["appointment_type_code"] == "cardiology-follow-up"][0]
    assert (cardiology["follow_up"]["window_start"], cardiology["follow_up"]["window_end"]) == (
        "2026-03-09", "2026-03-16")
    assert plan["contacts"][0]["name"] == "Sam"
    [version] = client.get(f"/care-plans/{plan['id']}/versions", headers=as_("nurse")).get_json()["items"]
    assert version["reason"] == "Created from template heart-failure-post-discharge 2026.1"
    assert outbox(runtime, "careplans.plan-updated")[0].data["activities_to_schedule"] == []


def test_instantiating_runs_the_medication_checks(client, as_, team, runtime):
    create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("lisinopril", LISINOPRIL)]))
    response = instantiate(client, as_("coordinator"), team)
    assert response.status_code == 409
    assert "contraindicated" in {f["severity"] for f in response.get_json()["findings"]}
    # the template's own moderate pair (valsartan with spironolactone) is kept when it goes through
    plan = instantiate(client, as_("coordinator"), create_team_free_patient(team)).get_json()
    alerts = client.get(f"/medication-alerts?plan_id={plan['id']}", headers=as_("coordinator")).get_json()["items"]
    assert [(a["severity"], a["outcome"]) for a in alerts] == [("moderate", "accepted")]


def create_team_free_patient(team):
    return type(team)(**{**team.__dict__, "patient_id": uuid.uuid4()})


def test_leaving_out_the_conflicting_drug_lets_the_template_through(client, as_, team):
    create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("lisinopril", LISINOPRIL)]))
    response = instantiate(client, as_("coordinator"), team, leave_out=["sacubitril-valsartan"])
    assert response.status_code == 201
    names = [a["medication"]["name"] for a in response.get_json()["activities"] if a["kind"] == "medication"]
    assert "sacubitril/valsartan" not in names and len(names) == 4


@pytest.mark.parametrize("change, field", [
    ({"template_code": "nope"}, "template_code"),
    ({"leave_out": ["no-such-activity"]}, "leave_out"),
    ({"start_date": "someday"}, "start_date"),
    ({"patient_id": None}, "patient_id"),
])
def test_bad_instantiation_requests_are_422(client, as_, team, change, field):
    response = instantiate(client, as_("coordinator"), team, **change)
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_the_interaction_table_is_readable_and_filterable(client, auth):
    page = client.get(f"/interactions?rxnorm_code={WARFARIN}&severity=major&page_size=100",
                      headers=auth("physician")).get_json()
    ids = {entry["id"] for entry in page["items"]}
    assert {"warfarin+nsaids", "warfarin+aspirin", "warfarin+amiodarone"} <= ids
    nsaids = next(entry for entry in page["items"] if entry["id"] == "warfarin+nsaids")
    assert {d["name"] for d in nsaids["drugs"][1]} >= {"ibuprofen", "naproxen"}
    assert any("Beers" in source for source in nsaids["sources"])


def test_a_combination_product_finds_its_ingredients_interactions(client, auth):
    page = client.get("/interactions?rxnorm_code=1656339&page_size=100", headers=auth("nurse")).get_json()
    assert "ace-inhibitor+sacubitril" in {entry["id"] for entry in page["items"]}


@pytest.mark.parametrize("query", ["rxnorm_code=abc", "severity=fatal", "page_size=0"])
def test_bad_interaction_queries_are_422(client, auth, query):
    assert client.get(f"/interactions?{query}", headers=auth("nurse")).status_code == 422


def test_the_heart_failure_journey_refuses_an_interacting_drug_until_a_physician_overrides(client, as_, team,
                                                                                          runtime):
    draft = instantiate(client, as_("coordinator"), team).get_json()
    active = client.put(f"/care-plans/{draft['id']}/status", json={"status": "active", "reason": "reviewed"},
                        headers=as_("physician", **{"If-Match": f'"{draft["version"]}"'})).get_json()
    assert active["status"] == "active"
    scheduled = outbox(runtime, "careplans.plan-updated")[-1].data["activities_to_schedule"]
    assert {a["appointment_type_code"] for a in scheduled} == {"telehealth-check-in", "cardiology-follow-up"}
    potassium = [medication("potassium chloride", "8591", dose="20 mEq")]
    refused = client.patch(f"/care-plans/{active['id']}", json={"reason": "low potassium", "activities": potassium},
                           headers=as_("coordinator", **{"If-Match": f'"{active["version"]}"'}))
    assert refused.status_code == 409
    assert {(f["severity"], tuple(f["references"])) for f in refused.get_json()["findings"] if f["blocking"]} == {
        ("major", ("potassium+potassium-sparing-diuretics",))}
    accepted = client.patch(f"/care-plans/{active['id']}", json={
        "reason": "potassium 3.1 mmol/L", "activities": potassium,
        "medication_override": {"reason": "Potassium 3.1 mmol/L on diuretics; recheck in 3 days"}},
        headers=as_("physician", **{"If-Match": f'"{active["version"]}"'}))
    assert accepted.status_code == 200 and accepted.get_json()["version"] == active["version"] + 1
    summary = client.get(f"/care-plans/{active['id']}/summary", headers=as_("nurse")).get_json()
    assert "potassium chloride" in {m["name"] for m in summary["medicines"]}
