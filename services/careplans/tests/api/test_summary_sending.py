"""Issue 19, item 4: staff send the plan summary to the patient and consenting
family; careplans announces it (identifiers only) for notifications."""
import uuid

from support import FUROSEMIDE, create_plan, follow_up, medication, plan_body
from carebridge.testing import audit_trail, outbox

EVENT = "careplans.plan-summary-sent"


def summary_plan(client, as_, team, **extra):
    return create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("furosemide", FUROSEMIDE), follow_up()],
        contacts=[{"role": "coordinator", "name": "Sam Rivera", "phone": "+1 555 0100"}], **extra))


def send(client, headers, plan_id, body=None, key=None):
    headers = {**headers, "Idempotency-Key": key or f"send-{uuid.uuid4()}"}
    return client.post(f"/care-plans/{plan_id}/summary/send", json=body if body is not None else {}, headers=headers)


def test_a_nurse_of_the_team_sends_the_summary_and_the_event_carries_identifiers_only(client, as_, team, runtime):
    plan = summary_plan(client, as_, team)
    response = send(client, as_("nurse"), plan["id"])
    assert response.status_code == 202, response.get_json()
    sent = response.get_json()
    [event] = outbox(runtime, EVENT)
    assert set(event.data) == {"sending_id", "plan_id", "patient_id", "care_team_id", "version", "include_family",
                               "sent_by"}
    assert (str(event.data["plan_id"]), str(event.data["patient_id"]), event.data["include_family"]) == (
        plan["id"], str(team.patient_id), True)
    assert str(event.data["sent_by"]) == str(team.nurse_id) and str(event.data["sending_id"]) == sent["sending_id"]
    assert event.data["version"] == plan["version"] == sent["version"]
    assert "furosemide" not in str(event.data) and "Sam Rivera" not in str(event.data)
    assert ("create", "care-plan-summary-sending") in [(r["action"], r["resource_type"]) for r in audit_trail(runtime)]


def test_the_patient_alone_when_family_is_left_out(client, as_, team, runtime):
    plan = summary_plan(client, as_, team)
    assert send(client, as_("coordinator"), plan["id"], {"include_family": False}).status_code == 202
    assert [e.data["include_family"] for e in outbox(runtime, EVENT)] == [False]


def test_a_repeated_request_sends_once(client, as_, team, runtime):
    plan = summary_plan(client, as_, team)
    first = send(client, as_("nurse"), plan["id"], key="send-summary-0001")
    again = send(client, as_("nurse"), plan["id"], key="send-summary-0001")
    assert first.status_code == again.status_code == 202
    assert first.get_json() == again.get_json()
    assert len(outbox(runtime, EVENT)) == 1


def test_refused_for_outsiders_billing_drafts_unknown_plans_and_bad_input_and_nothing_is_sent(client, as_, team,
                                                                                               runtime, auth):
    plan = summary_plan(client, as_, team)
    draft = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[follow_up()],
                                                              status="draft"))
    assert send(client, as_("outsider"), plan["id"]).status_code == 403
    assert send(client, auth("billing"), plan["id"]).status_code == 403
    refused = send(client, as_("nurse"), draft["id"])
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert send(client, as_("coordinator"), uuid.uuid4()).status_code == 404
    bad = send(client, as_("nurse"), plan["id"], {"include_family": "perhaps"})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert outbox(runtime, EVENT) == []


def test_notifications_may_read_the_summary_in_a_relatives_language(client, as_, team, auth):
    plan = summary_plan(client, as_, team)
    as_notifications = auth("service", sub="notifications")
    summary = client.get(f"/care-plans/{plan['id']}/summary?language=es", headers=as_notifications)
    assert summary.status_code == 200, summary.get_json()
    assert summary.get_json()["language"] == "es"
    assert client.get(f"/care-plans/{plan['id']}/summary", headers=auth("service", sub="scheduling")).status_code == 403
