"""Creating, reading and listing care plans."""
import uuid

import pytest

from support import (SACUBITRIL_VALSARTAN, activity_of, check_in, create_plan, diet, education, follow_up,
                               goal, medication, plan_body, therapy)
from carebridge.testing import audit_trail, outbox


def full_plan(patient_id, **extra):
    return plan_body(patient_id, activities=[
        medication("sacubitril/valsartan", SACUBITRIL_VALSARTAN, frequency="twice-daily"), follow_up(), therapy(),
        diet(), education(), check_in()], goals=[goal()], **extra)


def test_create_answers_201_with_the_plan_its_etag_and_location(client, as_, team):
    response = client.post("/care-plans", json=full_plan(team.patient_id), headers=as_("coordinator"))
    assert response.status_code == 201
    plan = response.get_json()
    assert response.headers["ETag"] == '"1"' and plan["version"] == 1
    assert response.headers["Location"].endswith(f"/care-plans/{plan['id']}")
    assert plan["status"] == "active" and plan["care_team_id"] == str(team.care_team_id)
    assert [a["kind"] for a in plan["activities"]] == ["medication", "follow-up", "therapy", "diet", "education",
                                                       "check-in"]
    assert all(a["status"] == "not-started" for a in plan["activities"])
    assert activity_of(plan, "medication")["medication"]["ingredient_codes"] == ["1656328", "69749"]
    assert plan["goals"][0]["lifecycle_status"] == "active"


def test_create_publishes_plan_updated_with_visits_to_book_and_no_phi(client, as_, team, runtime):
    plan = create_plan(client, as_("coordinator"), full_plan(team.patient_id))
    [event] = outbox(runtime, "careplans.plan-updated")
    assert event.data["plan_id"] == plan["id"] and event.data["version"] == 1
    assert event.data["patient_facing"] is True and event.data["author_id"] == str(team.coordinator_id)
    assert set(event.data["changed_sections"]) == {"goals", "activities", "medications", "status", "details"}
    scheduled = {a["kind"]: a for a in event.data["activities_to_schedule"]}
    assert scheduled["follow-up"]["appointment_type_code"] == "cardiology-follow-up"
    assert scheduled["follow-up"]["window_start"] == "2026-03-09"
    assert (scheduled["therapy"]["sessions_per_week"], scheduled["therapy"]["duration_weeks"]) == (2, 6)
    text = event.to_json()
    assert "sacubitril" not in text and "Heart failure" not in text and "salt" not in text


def test_a_draft_is_not_patient_facing_and_books_nothing(client, as_, team, runtime):
    create_plan(client, as_("nurse"), full_plan(team.patient_id, status="draft"))
    [event] = outbox(runtime, "careplans.plan-updated")
    assert event.data["patient_facing"] is False and event.data["activities_to_schedule"] == []


def test_a_retried_create_with_the_same_key_makes_one_plan(client, as_, team, runtime):
    headers = as_("coordinator", **{"Idempotency-Key": "create-plan-0001"})
    first = client.post("/care-plans", json=full_plan(team.patient_id), headers=headers)
    again = client.post("/care-plans", json=full_plan(team.patient_id), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert len(outbox(runtime, "careplans.plan-updated")) == 1


def test_get_returns_the_plan_with_its_etag_and_one_audit_record(client, as_, team, runtime):
    plan = create_plan(client, as_("coordinator"), full_plan(team.patient_id))
    before = len(audit_trail(runtime))
    response = client.get(f"/care-plans/{plan['id']}", headers=as_("physician"))
    assert response.status_code == 200 and response.headers["ETag"] == '"1"'
    assert response.get_json() == plan
    records = audit_trail(runtime)[before:]
    assert [(r["action"], r["resource_type"], r["patient_id"], r["outcome"]) for r in records] == [
        ("read", "care-plan", str(team.patient_id), "success")]


def test_unknown_plan_is_404(client, as_, team):
    response = client.get(f"/care-plans/{uuid.uuid4()}", headers=as_("coordinator"))
    assert response.status_code == 404 and response.content_type == "application/problem+json"


def test_list_filters_by_patient_and_status_with_one_audit_record(client, as_, team, runtime):
    first = create_plan(client, as_("coordinator"), full_plan(team.patient_id))
    create_plan(client, as_("coordinator"), plan_body(team.patient_id, status="draft", activities=[diet()]))
    create_plan(client, as_("coordinator"), full_plan(uuid.uuid4()))
    before = len(audit_trail(runtime))
    page = client.get(f"/care-plans?patient_id={team.patient_id}&status=active",
                      headers=as_("coordinator")).get_json()
    assert page["total"] == 1 and page["items"][0]["id"] == first["id"]
    assert [(r["action"], r["patient_id"]) for r in audit_trail(runtime)[before:]] == [
        ("search", str(team.patient_id))]


def test_a_nurse_lists_only_her_teams_patients_and_the_search_is_audited_once(client, as_, team, runtime):
    mine = create_plan(client, as_("coordinator"), full_plan(team.patient_id))
    create_plan(client, as_("coordinator"), full_plan(uuid.uuid4()))
    before = len(audit_trail(runtime))
    page = client.get("/care-plans", headers=as_("nurse")).get_json()
    assert [item["id"] for item in page["items"]] == [mine["id"]]
    assert [(r["action"], r["patient_id"]) for r in audit_trail(runtime)[before:]] == [
        ("search", str(team.patient_id))]
    assert client.get("/care-plans", headers=as_("outsider")).get_json()["total"] == 0


@pytest.mark.parametrize("change, field", [
    (lambda b: b.pop("title"), "title"),
    (lambda b: b.update(patient_id="not-a-uuid"), "patient_id"),
    (lambda b: b.update(status="completed"), "status"),
    (lambda b: b.update(period={"start": "2026-03-02", "end": "2026-01-01"}), "period"),
    (lambda b: b["activities"].append({"kind": "juggling"}), "activities"),
    (lambda b: b["activities"].append(follow_up(code="haircut")), "activities"),
    (lambda b: b["activities"].append(follow_up(start="2026-03-20", end="2026-03-10")), "activities"),
    (lambda b: b["activities"].append(medication("x", "not-digits")), "activities"),
    (lambda b: b["activities"].append(medication("x", "1", frequency="whenever")), "activities"),
    (lambda b: b["activities"].append(therapy(per_week=0)), "activities"),
    (lambda b: b["activities"].append(check_in(days=0)), "activities"),
    (lambda b: b["goals"].append({"description": "x", "lifecycle_status": "maybe"}), "goals"),
    (lambda b: b["warning_signs"].append({"sign": "x", "action": "panic"}), "warning_signs"),
    (lambda b: b.update(contacts=[{"role": "coordinator", "phone": "call me"}]), "contacts"),
    (lambda b: b.update(unexpected="field"), "unexpected"),
])
def test_invalid_fields_are_422_naming_the_field_and_create_nothing(client, as_, team, runtime, change, field):
    body = full_plan(team.patient_id)
    body.setdefault("warning_signs", [])
    change(body)
    response = client.post("/care-plans", json=body, headers=as_("coordinator"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]
    assert outbox(runtime, "careplans.plan-updated") == []


@pytest.mark.parametrize("activity, field", [
    ({"kind": "diet"}, "activities.0.diet"),
    ({"diet": {"recommendation": "x"}}, "activities.0.kind"),
    ({**diet(), "therapy": {"sessions_per_week": 1, "duration_weeks": 1}}, "activities.0.therapy"),
    ({**diet(), "status": "completed"}, "activities.0.status"),
    ({**diet(), "id": str(uuid.uuid4())}, "activities.0.id"),
])
def test_activities_that_break_a_rule_are_422(client, as_, team, activity, field):
    body = plan_body(team.patient_id, activities=[activity])
    response = client.post("/care-plans", json=body, headers=as_("coordinator"))
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_a_care_team_of_another_patient_is_refused(client, as_, team):
    body = full_plan(uuid.uuid4(), care_team_id=str(team.care_team_id))
    response = client.post("/care-plans", json=body, headers=as_("coordinator"))
    assert response.status_code == 422 and "care_team_id" in response.get_json()["errors"]


def test_malformed_json_is_400(client, as_, team):
    response = client.post("/care-plans", data="{", content_type="application/json", headers=as_("coordinator"))
    assert response.status_code == 400


def test_a_medication_whose_code_the_catalogue_does_not_know_keeps_the_given_ingredients(client, as_, team):
    activity = medication("vitamin D", "11253", detail={"ingredient_codes": ["11253"]})
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[activity]))
    assert activity_of(plan, "medication")["medication"]["ingredient_codes"] == ["11253"]


def test_ingredients_that_contradict_the_catalogue_are_422(client, as_, team):
    activity = medication("warfarin", "11289", detail={"ingredient_codes": ["5640"]})
    response = client.post("/care-plans", json=plan_body(team.patient_id, activities=[activity]),
                           headers=as_("coordinator"))
    assert response.status_code == 422
    assert "activities.0.medication.ingredient_codes" in response.get_json()["errors"]
