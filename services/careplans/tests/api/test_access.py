"""Who may reach a patient's data: every patient-scoped endpoint refuses a
clinician who is not on the patient's care team (403, nothing revealed,
refusal audited), answers the team with one audit record, and needs a token."""
import uuid
from datetime import timedelta

import pytest

from support import SPIRONOLACTONE, VALSARTAN, activity_of, check_in, create_plan, goal, medication, plan_body
from carebridge.testing import audit_trail


@pytest.fixture
def records(client, as_, team, clock):
    plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("valsartan", VALSARTAN), medication("spironolactone", SPIRONOLACTONE), check_in()],
        goals=[goal()]))
    alert = client.get(f"/medication-alerts?plan_id={plan['id']}", headers=as_("coordinator")).get_json()["items"][0]
    task = client.post("/tasks", json={"patient_id": str(team.patient_id), "code": "general", "reason": "x"},
                       headers=as_("coordinator")).get_json()
    recorded = client.post("/check-ins", json={"patient_id": str(team.patient_id), "context": "routine",
                                               "contact_method": "phone", "reached": False},
                           headers=as_("coordinator")).get_json()
    return {"plan": plan, "alert": alert, "task": task, "check_in": recorded,
            "medication": activity_of(plan, "medication"), "now": clock.now()}


def endpoints(team, r):
    plan, task = r["plan"]["id"], r["task"]["id"]
    when = (r["now"] - timedelta(hours=1)).isoformat()
    return [
        ("get", f"/care-plans/{plan}", None),
        ("patch", f"/care-plans/{plan}", {"reason": "x", "title": "y"}),
        ("put", f"/care-plans/{plan}/status", {"status": "on-hold", "reason": "x"}),
        ("get", f"/care-plans/{plan}/versions", None),
        ("get", f"/care-plans/{plan}/versions/1", None),
        ("get", f"/care-plans/{plan}/diff?from=1&to=1", None),
        ("get", f"/care-plans/{plan}/summary", None),
        ("get", f"/care-plans/{plan}/summary.html", None),
        ("post", f"/care-plans/{plan}/summary/send", {"include_family": True}),
        ("post", "/care-plans", plan_body(team.patient_id)),
        ("post", "/care-plans/from-template", {"template_code": "hip-replacement-rehabilitation",
                                               "patient_id": str(team.patient_id)}),
        ("get", f"/care-plans?patient_id={team.patient_id}", None),
        ("get", f"/medication-alerts/{r['alert']['id']}", None),
        ("get", f"/medication-alerts?patient_id={team.patient_id}", None),
        ("post", "/tasks", {"patient_id": str(team.patient_id), "code": "general", "reason": "x"}),
        ("get", f"/tasks/{task}", None),
        ("patch", f"/tasks/{task}", {"priority": "stat"}),
        ("put", f"/tasks/{task}/owner", {"owner_id": str(team.nurse_id), "reason": "x"}),
        ("get", f"/tasks/{task}/history", None),
        ("get", f"/tasks?patient_id={team.patient_id}", None),
        ("post", "/adherence/doses", {"activity_id": r["medication"]["id"], "outcome": "taken",
                                      "scheduled_for": when, "reported_by": "patient"}),
        ("get", f"/adherence/doses?patient_id={team.patient_id}", None),
        ("get", f"/adherence/summary?patient_id={team.patient_id}", None),
        ("post", "/check-ins", {"patient_id": str(team.patient_id), "context": "routine", "contact_method": "phone",
                                "reached": True}),
        ("get", f"/check-ins?patient_id={team.patient_id}", None),
        ("get", f"/check-ins/{r['check_in']['id']}", None),
    ]


def call(client, method, path, body, headers, version=1):
    if method in ("patch", "put"):
        headers = {**headers, "If-Match": f'"{version}"'}
    return getattr(client, method)(path, json=body, headers=headers)


def test_a_clinician_not_on_the_team_gets_403_everywhere_and_each_refusal_is_audited(client, as_, team, records,
                                                                                    runtime):
    for method, path, body in endpoints(team, records):
        before = len(audit_trail(runtime))
        response = call(client, method, path, body, as_("outsider"))
        assert response.status_code == 403, (method, path, response.get_json())
        assert response.get_json()["detail"] == "You do not have access to this resource."
        trail = audit_trail(runtime)[before:]
        assert [(r["outcome"], r["patient_id"], r["actor"]) for r in trail] == [
            ("denied", str(team.patient_id), str(team.outsider_id))], (method, path)


def test_billing_staff_get_403(client, auth, team, records):
    for method, path, body in endpoints(team, records):
        assert call(client, method, path, body, auth("billing")).status_code == 403, (method, path)


def test_every_endpoint_needs_a_token(client, team, records):
    for method, path, body in endpoints(team, records):
        assert call(client, method, path, body, {}).status_code == 401, (method, path)


def current_version(client, headers, path):
    """The ETag version of the plan or task a PATCH/PUT path changes."""
    resource = "/".join(path.split("/")[:3])
    return client.get(resource, headers=headers).get_json()["version"]


def test_the_care_team_gets_through_with_exactly_one_audit_record_each(client, as_, team, records, runtime):
    for method, path, body in endpoints(team, records):
        version = current_version(client, as_("nurse"), path) if method in ("patch", "put") else 1
        before = len(audit_trail(runtime))
        response = call(client, method, path, body, as_("nurse"), version)
        assert response.status_code < 300, (method, path, response.get_json())
        trail = audit_trail(runtime)[before:]
        assert [(r["outcome"], r["patient_id"]) for r in trail] == [("success", str(team.patient_id))], (method, path)


def test_admins_read_but_do_not_write_plans(client, auth, team, records):
    plan = records["plan"]["id"]
    assert client.get(f"/care-plans/{plan}", headers=auth("admin")).status_code == 200
    assert client.get(f"/care-plans/{plan}/summary", headers=auth("admin")).status_code == 200
    assert client.post("/care-plans", json=plan_body(team.patient_id), headers=auth("admin")).status_code == 403


def test_no_service_identity_reaches_a_plan(client, auth, team, records, runtime):
    """Only scheduling calls careplans' API to read one plan (issue 23: it
    checks that a booking names a plan of its own patient), and notifications
    to read a plan's summary (issue 19: the secure page of a sent summary);
    every other operation refuses a service identity (issue 22), and audits
    the refusal."""
    plan_read = ("get", f"/care-plans/{records['plan']['id']}")
    summary_read = ("get", f"/care-plans/{records['plan']['id']}/summary")
    allowed = {("scheduling", plan_read), ("notifications", summary_read)}
    for name in ("patients", "scheduling", "billing", "notifications"):
        for method, path, body in endpoints(team, records):
            response = call(client, method, path, body, auth("service", sub=name))
            expected = 200 if (name, (method, path)) in allowed else 403
            assert response.status_code == expected, (name, method, path)
    assert {r["actor"] for r in audit_trail(runtime) if r["outcome"] == "denied"} == {
        "service:patients", "service:scheduling", "service:billing", "service:notifications"}
    [read] = [r for r in audit_trail(runtime) if r["actor"] == "service:scheduling" and r["outcome"] == "success"]
    assert (read["action"], read["patient_id"]) == ("read", str(team.patient_id))


def test_a_nurse_who_left_the_team_loses_access(client, as_, team, records, runtime, clock):
    from carebridge.testing import care_team_event, care_team_member, deliver
    deliver(runtime, care_team_event(team.patient_id, [
        care_team_member(team.coordinator_id, "coordinator"),
        care_team_member(team.nurse_id, "nurse", until=clock.now() - timedelta(minutes=1))],
        care_team_id=team.care_team_id, revision=2, lead_coordinator_id=team.coordinator_id))
    assert client.get(f"/care-plans/{records['plan']['id']}", headers=as_("nurse")).status_code == 403


def test_a_missing_record_and_another_patients_look_the_same_to_an_outsider(client, as_, team, records, runtime):
    """Issue 23: 403 and 404 do not tell whether another patient's record
    exists; those who see every patient still get 404."""
    missing = client.get(f"/care-plans/{uuid.uuid4()}", headers=as_("outsider"))
    theirs = client.get(f"/care-plans/{records['plan']['id']}", headers=as_("outsider"))
    assert missing.status_code == theirs.status_code == 403
    strip = lambda body: {k: v for k, v in body.items() if k != "request_id"}  # noqa: E731
    assert strip(missing.get_json()) == strip(theirs.get_json())
    assert audit_trail(runtime)[-2]["outcome"] == "denied"
    assert client.get(f"/care-plans/{uuid.uuid4()}", headers=as_("coordinator")).status_code == 404
    plan = records["plan"]["id"]
    assert client.get(f"/care-plans/{plan}/versions/99", headers=as_("nurse")).status_code == 404


def test_a_nurse_removed_from_the_team_gets_nothing_back_by_replaying_an_old_post(client, as_, team, runtime, clock):
    """Issue 22: a stored response is replayed only to a caller who may make
    the call now, so resending an old POST with its Idempotency-Key is no
    way back into a patient's record."""
    from carebridge.testing import care_team_event, care_team_member, deliver
    body = {"patient_id": str(team.patient_id), "context": "routine", "contact_method": "phone", "reached": True,
            "summary": "dizzy on standing"}
    headers = as_("nurse", **{"Idempotency-Key": "check-in-0001"})
    first = client.post("/check-ins", json=body, headers=headers)
    assert first.status_code == 201
    assert client.post("/check-ins", json=body, headers=headers).headers["Idempotent-Replayed"] == "true"
    deliver(runtime, care_team_event(team.patient_id, [
        care_team_member(team.coordinator_id, "coordinator"),
        care_team_member(team.nurse_id, "nurse", until=clock.now() - timedelta(minutes=1))],
        care_team_id=team.care_team_id, revision=2, lead_coordinator_id=team.coordinator_id))
    before = len(audit_trail(runtime))
    replayed = client.post("/check-ins", json=body, headers=headers)
    assert replayed.status_code == 403 and "dizzy" not in replayed.get_data(as_text=True)
    assert [(r["outcome"], r["patient_id"], r["actor"]) for r in audit_trail(runtime)[before:]] == [
        ("denied", str(team.patient_id), str(team.nurse_id))]
