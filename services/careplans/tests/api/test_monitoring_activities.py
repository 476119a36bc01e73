"""A care plan's monitoring activity: limits per measure that the plan's
plan-updated carries (numbers only) for the monitoring service to apply."""
from support import activity_of, create_plan, diet, monitoring, plan_body, revise

from carebridge.testing import outbox
from carebridge.testing.fhir import fhir_json

WEIGHT = ("weight", {"low": 60, "high": 92.5, "critical_high": 97})
SYSTOLIC = ("blood-pressure", {"low": 95, "high": 150, "critical_high": 180})


def test_a_monitoring_activity_keeps_its_limits(client, as_, team):
    plan = create_plan(client, as_("nurse"), plan_body(team.patient_id, activities=[monitoring(WEIGHT, SYSTOLIC)]))
    activity = activity_of(plan, "monitoring")
    assert activity["status"] == "not-started"
    assert activity["monitoring"]["limits"] == [
        {"measure": "weight", "low": 60.0, "high": 92.5, "critical_high": 97.0},
        {"measure": "blood-pressure", "low": 95.0, "high": 150.0, "critical_high": 180.0}]


def test_plan_updated_carries_the_limits_of_open_monitoring_activities_and_no_text(client, as_, team, runtime):
    plan = create_plan(client, as_("nurse"), plan_body(team.patient_id, activities=[monitoring(WEIGHT), diet()]))
    [event] = outbox(runtime, "careplans.plan-updated")
    activity_id = activity_of(plan, "monitoring")["id"]
    assert event.data["monitoring_limits"] == [
        {"activity_id": activity_id, "measure": "weight", "low": 60.0, "high": 92.5, "critical_low": None,
         "critical_high": 97.0}]
    assert "Daily weights" not in event.to_json() and "salt" not in event.to_json()
    assert event.data["patient_facing"] is True  # the diet is; the limits alone are not


def test_a_revision_sends_the_new_limits_and_a_cancelled_activity_sends_none(client, as_, team, runtime):
    plan = create_plan(client, as_("nurse"), plan_body(team.patient_id, activities=[monitoring(WEIGHT)]))
    activity_id = activity_of(plan, "monitoring")["id"]
    changed = revise(client, as_("nurse"), plan, activities=[
        {"id": activity_id, "monitoring": {"limits": [{"measure": "weight", "high": 90}]}}])
    assert changed.status_code == 200, changed.get_json()
    latest = outbox(runtime, "careplans.plan-updated")[-1]
    assert latest.data["version"] == 2 and latest.data["changed_sections"] == ["activities"]
    assert latest.data["patient_facing"] is False
    assert [(item["measure"], item["high"], item["low"]) for item in latest.data["monitoring_limits"]] == [
        ("weight", 90.0, None)]
    stopped = revise(client, as_("nurse"), changed.get_json(), activities=[
        {"id": activity_id, "status": "cancelled", "status_reason": "device returned"}])
    assert stopped.status_code == 200, stopped.get_json()
    assert outbox(runtime, "careplans.plan-updated")[-1].data["monitoring_limits"] == []


def test_a_draft_plan_sets_no_limits(client, as_, team, runtime):
    create_plan(client, as_("nurse"), plan_body(team.patient_id, status="draft", activities=[monitoring(WEIGHT)]))
    [event] = outbox(runtime, "careplans.plan-updated")
    assert event.data["monitoring_limits"] == []


def test_limits_that_do_not_rise_or_name_a_measure_twice_are_refused(client, as_, team, runtime):
    for limits in ([("weight", {"low": 95, "high": 90})], [("weight", {})], [("cholesterol", {"high": 5})],
                   [WEIGHT, ("weight", {"high": 91})], [("weight", {"high": -3})]):
        response = client.post("/care-plans", json=plan_body(team.patient_id, activities=[monitoring(*limits)]),
                               headers=as_("nurse"))
        assert response.status_code == 422, (limits, response.get_json())
        assert response.headers["Content-Type"] == "application/problem+json"
    assert outbox(runtime, "careplans.plan-updated") == []


def test_a_monitoring_activity_needs_its_details(client, as_, team):
    response = client.post("/care-plans", json=plan_body(team.patient_id, activities=[{"kind": "monitoring"}]),
                           headers=as_("nurse"))
    assert response.status_code == 422
    assert "activities.0.monitoring" in response.get_json()["errors"]


def test_the_patients_summary_and_the_fhir_care_plan_show_a_plan_with_monitoring(client, as_, team):
    plan = create_plan(client, as_("nurse"), plan_body(team.patient_id, activities=[monitoring(WEIGHT), diet()]))
    summary = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse"))
    assert summary.status_code == 200
    resource = fhir_json(client.get(f"/fhir/R4/CarePlan/{plan['id']}", headers=as_("nurse")))
    [coding] = [a["detail"]["code"]["coding"][0] for a in resource["activity"]
                if a["detail"]["code"]["coding"][0]["code"] == "monitoring"]
    assert coding["display"] == "Remote monitoring"
