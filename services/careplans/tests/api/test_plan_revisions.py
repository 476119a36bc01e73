"""Revising a plan (PATCH, If-Match) and moving it through its lifecycle."""
import uuid

import pytest

from support import (FUROSEMIDE, activity_of, check_in, create_plan, diet, follow_up, goal, medication,
                               plan_body, revise, therapy)
from carebridge.testing import audit_trail, outbox


@pytest.fixture
def plan(client, as_, team):
    return create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("furosemide", FUROSEMIDE), follow_up(), therapy(), check_in()], goals=[goal()]))


def test_a_revision_makes_one_new_version_with_author_reason_and_etag(client, as_, plan, team, runtime):
    response = revise(client, as_("nurse"), plan, reason="Lower sodium after the visit", activities=[diet()],
                      title="Heart failure care (revised)")
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'
    revised = response.get_json()
    assert revised["version"] == 2 and revised["title"] == "Heart failure care (revised)"
    assert activity_of(revised, "diet")["diet"]["recommendation"].startswith("Eat less salt")
    [version] = [v for v in client.get(f"/care-plans/{plan['id']}/versions", headers=as_("nurse")).get_json()["items"]
                 if v["version"] == 2]
    assert (version["author"], version["author_roles"], version["reason"]) == (
        str(team.nurse_id), "nurse", "Lower sodium after the visit")
    assert version["changed_sections"] == ["activities", "details"]


def test_plan_updated_names_the_changed_sections(client, as_, plan, runtime):
    revise(client, as_("physician"), plan, activities=[
        {"id": activity_of(plan, "medication")["id"],
         "medication": {**activity_of(plan, "medication")["medication"], "dose": "80 mg (2 tablets)"}}])
    event = outbox(runtime, "careplans.plan-updated")[-1]
    assert (event.data["version"], event.data["changed_sections"], event.data["patient_facing"]) == (
        2, ["medications"], True)
    assert event.data["activities_to_schedule"] == []


def test_changing_a_visit_window_sends_it_to_scheduling_again(client, as_, plan, runtime):
    visit = activity_of(plan, "follow-up")
    revise(client, as_("coordinator"), plan, activities=[
        {"id": visit["id"], "follow_up": {**visit["follow_up"], "window_end": "2026-03-20"}}])
    [to_book] = outbox(runtime, "careplans.plan-updated")[-1].data["activities_to_schedule"]
    assert (to_book["activity_id"], to_book["window_end"]) == (visit["id"], "2026-03-20")


def test_a_change_to_staff_only_parts_is_not_patient_facing(client, as_, plan, runtime):
    revise(client, as_("coordinator"), plan, activities=[
        {"id": activity_of(plan, "check-in")["id"], "check_in": {"interval_days": 14}}])
    assert outbox(runtime, "careplans.plan-updated")[-1].data["patient_facing"] is False


def test_a_revision_that_changes_nothing_makes_no_version(client, as_, plan, runtime):
    response = revise(client, as_("coordinator"), plan, title=plan["title"])
    assert response.status_code == 200 and response.get_json()["version"] == 1
    assert len(outbox(runtime, "careplans.plan-updated")) == 1


def test_without_if_match_is_428_and_stale_is_412_and_nothing_changes(client, as_, plan, runtime):
    no_etag = client.patch(f"/care-plans/{plan['id']}", json={"reason": "x", "title": "Other"},
                           headers=as_("coordinator"))
    stale = client.patch(f"/care-plans/{plan['id']}", json={"reason": "x", "title": "Other"},
                         headers=as_("coordinator", **{"If-Match": '"7"'}))
    assert (no_etag.status_code, stale.status_code) == (428, 412)
    assert client.get(f"/care-plans/{plan['id']}", headers=as_("coordinator")).get_json()["title"] == plan["title"]
    assert len(outbox(runtime, "careplans.plan-updated")) == 1


def test_the_same_etag_cannot_win_twice(client, as_, plan):
    assert revise(client, as_("coordinator"), plan, activities=[diet()]).status_code == 200
    assert revise(client, as_("coordinator"), plan, activities=[diet("Drink less")]).status_code == 412


def test_goals_are_added_and_changed(client, as_, plan):
    existing = plan["goals"][0]
    revised = revise(client, as_("nurse"), plan, goals=[
        {"id": existing["id"], "achievement_status": "improving"},
        goal("Walk 20 minutes a day", due="2026-05-01")]).get_json()
    assert [g["achievement_status"] for g in revised["goals"]] == ["improving", None]
    assert revised["goals"][1]["target"]["due_date"] == "2026-05-01"


def test_stopping_a_medication_clears_its_reason_and_keeps_it_in_the_plan(client, as_, plan):
    medicine = activity_of(plan, "medication")
    revised = revise(client, as_("physician"), plan, activities=[
        {"id": medicine["id"], "status": "in-progress"}]).get_json()
    revised = revise(client, as_("physician"), revised, activities=[
        {"id": medicine["id"], "status": "stopped", "status_reason": "kidney function worse"}]).get_json()
    assert activity_of(revised, "medication")["status"] == "stopped"
    assert activity_of(revised, "medication")["status_reason"] == "kidney function worse"


@pytest.mark.parametrize("item, status, field", [
    ({"status": "juggling"}, 422, "activities"),
    ({"id": "<unknown>", "status": "scheduled"}, 422, "activities.0.id"),
    ({"id": "<visit>", "kind": "diet"}, 422, "activities.0.kind"),
    ({"id": "<visit>", "diet": {"recommendation": "x"}}, 422, "activities.0.diet"),
])
def test_bad_activity_changes_are_refused_and_change_nothing(client, as_, plan, item, status, field):
    item = {k: (str(uuid.uuid4()) if v == "<unknown>" else activity_of(plan, "follow-up")["id"] if v == "<visit>"
                else v) for k, v in item.items()}
    response = revise(client, as_("coordinator"), plan, activities=[item])
    assert response.status_code == status and field in response.get_json()["errors"]
    assert client.get(f"/care-plans/{plan['id']}", headers=as_("coordinator")).headers["ETag"] == '"1"'


def test_a_move_the_activity_lifecycle_forbids_is_409_naming_the_allowed_ones(client, as_, plan):
    visit = activity_of(plan, "follow-up")
    revised = revise(client, as_("coordinator"), plan, activities=[{"id": visit["id"], "status": "cancelled"}])
    response = revise(client, as_("coordinator"), revised.get_json(),
                      activities=[{"id": visit["id"], "status": "scheduled"}])
    assert response.status_code == 409
    assert response.get_json()["current_status"] == "cancelled" and response.get_json()["allowed"] == []


def test_a_revision_needs_a_reason(client, as_, plan):
    response = client.patch(f"/care-plans/{plan['id']}", json={"title": "x"},
                            headers=as_("coordinator", **{"If-Match": '"1"'}))
    assert response.status_code == 422 and "reason" in response.get_json()["errors"]


def test_a_revision_is_audited_once_as_an_update(client, as_, plan, runtime, team):
    before = len(audit_trail(runtime))
    revise(client, as_("nurse"), plan, activities=[diet()])
    assert [(r["action"], r["resource_type"], r["patient_id"]) for r in audit_trail(runtime)[before:]] == [
        ("update", "care-plan", str(team.patient_id))]


def put_status(client, headers, plan, status, reason="clinical decision"):
    return client.put(f"/care-plans/{plan['id']}/status", json={"status": status, "reason": reason},
                      headers={**headers, "If-Match": f'"{plan["version"]}"'})


def test_putting_a_plan_on_hold_publishes_the_status_change(client, as_, plan, runtime):
    response = put_status(client, as_("physician"), plan, "on-hold", "admitted to hospital")
    assert response.status_code == 200 and response.get_json()["status"] == "on-hold"
    [event] = outbox(runtime, "careplans.plan-status-changed")
    assert (event.data["previous_status"], event.data["status"], event.data["version"]) == ("active", "on-hold", 2)
    assert outbox(runtime, "careplans.plan-updated")[-1].data["changed_sections"] == ["status"]


def test_completing_a_plan_closes_its_open_activities_and_tells_scheduling(client, as_, plan, runtime):
    medicine = activity_of(plan, "medication")
    plan = revise(client, as_("physician"), plan, activities=[{"id": medicine["id"], "status": "in-progress"}]
                  ).get_json()
    closed = put_status(client, as_("physician"), plan, "completed", "goals met").get_json()
    assert {a["kind"]: a["status"] for a in closed["activities"]} == {
        "medication": "stopped", "follow-up": "cancelled", "therapy": "cancelled", "check-in": "cancelled"}
    to_book = outbox(runtime, "careplans.plan-updated")[-1].data["activities_to_schedule"]
    assert {a["status"] for a in to_book} == {"cancelled"} and len(to_book) == 2


def test_a_closed_plan_cannot_be_revised_or_reopened(client, as_, plan):
    closed = put_status(client, as_("physician"), plan, "revoked", "entered for the wrong patient").get_json()
    assert revise(client, as_("physician"), closed, activities=[diet()]).status_code == 409
    response = put_status(client, as_("physician"), closed, "active")
    assert response.status_code == 409 and response.get_json()["allowed"] == []


def test_activating_a_draft_sends_its_visits_to_scheduling(client, as_, team, runtime):
    draft = create_plan(client, as_("nurse"), plan_body(team.patient_id, status="draft",
                                                        activities=[follow_up(), therapy(code=None)]))
    put_status(client, as_("nurse"), draft, "active")
    event = outbox(runtime, "careplans.plan-updated")[-1]
    assert event.data["patient_facing"] is True
    assert [a["kind"] for a in event.data["activities_to_schedule"]] == ["follow-up"]


@pytest.mark.parametrize("body, field", [({"status": "paused", "reason": "x"}, "status"),
                                         ({"status": "on-hold"}, "reason")])
def test_invalid_status_changes_are_422(client, as_, plan, body, field):
    response = client.put(f"/care-plans/{plan['id']}/status", json=body,
                          headers=as_("physician", **{"If-Match": '"1"'}))
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_status_change_needs_if_match(client, as_, plan):
    response = client.put(f"/care-plans/{plan['id']}/status", json={"status": "on-hold", "reason": "x"},
                          headers=as_("physician"))
    assert response.status_code == 428


def test_an_activity_read_back_as_it_is_can_be_sent_back_changed(client, as_, plan):
    course = activity_of(plan, "therapy")
    echoed = {**course, "therapy": {**course["therapy"], "sessions_per_week": 3}}
    revised = revise(client, as_("coordinator"), plan, activities=[echoed])
    assert revised.status_code == 200, revised.get_json()
    assert activity_of(revised.get_json(), "therapy")["therapy"]["sessions_per_week"] == 3
    tampered = {**course, "therapy": {**course["therapy"], "sessions_completed": 12}}
    revised = revise(client, as_("coordinator"), revised.get_json(), activities=[tampered]).get_json()
    assert activity_of(revised, "therapy")["therapy"]["sessions_completed"] == 0


def test_the_event_counts_what_changed_and_says_who_made_it(client, as_, team, runtime):
    """Issue 25, item 9: "goals: 1 added, medications: 1 changed"; a change by staff is not by_system."""
    from support import FUROSEMIDE, create_plan, goal, medication, plan_body, revise
    from carebridge.testing import outbox
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("furosemide", FUROSEMIDE)]))
    [drug] = [a for a in plan["activities"] if a["kind"] == "medication"]
    revise(client, as_("physician"), plan, goals=[goal("Walk 20 minutes a day")],
           activities=[{"id": drug["id"], "medication": {**drug["medication"], "dose": "80 mg (2 tablets)"}}])
    event = outbox(runtime, "careplans.plan-updated")[-1]
    assert event.data["by_system"] is False
    assert event.data["section_changes"] == [
        {"section": "goals", "added": 1, "changed": 0, "removed": 0},
        {"section": "medications", "added": 0, "changed": 1, "removed": 0}]
