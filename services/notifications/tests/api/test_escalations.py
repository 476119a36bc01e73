"""/escalations: a patient's escalations and their recorded chains."""
import uuid

import pytest

from carebridge.testing import assert_problem
from carebridge_notifications.jobs.escalations import escalate_unacknowledged
from support import audit_since


@pytest.fixture
def escalated(runtime, world, clock):
    no_show = world.missed()
    world.deliver(no_show)
    clock.advance(minutes=15)
    escalate_unacknowledged(runtime)
    return no_show


class TestList:
    def test_lists_the_patients_escalations_with_their_chain(self, client, auth, runtime, world, escalated):
        response = client.get(f"/escalations?patient_id={world.patient}", headers=auth())
        assert response.status_code == 200
        [item] = response.get_json()["items"]
        assert item["source_event_id"] == str(escalated.id) and item["status"] == "open" and item["level"] == 1
        assert [(s["level"], s["audience"], s["recipient_id"]) for s in item["steps"]] == [
            (1, "care-team-others", str(world.physician))]
        assert item["care_team_id"] == str(world.team)
        assert audit_since(runtime) == [("read", "escalation", str(world.patient), "success")]

    def test_filters_by_status(self, client, auth, world, escalated):
        assert client.get(f"/escalations?patient_id={world.patient}&status=acknowledged",
                          headers=auth()).get_json()["total"] == 0

    def test_clinician_not_on_the_team_is_403(self, client, auth, runtime, world, escalated):
        assert_problem(client.get(f"/escalations?patient_id={world.patient}",
                                  headers=auth("nurse", sub=world.stranger)), 403)
        assert audit_since(runtime) == [("read", "escalation", str(world.patient), "denied")]

    def test_bad_queries_are_422(self, client, auth, world):
        for query in ("", "?patient_id=x", "?status=open", f"?patient_id={world.patient}&status=closed"):
            assert_problem(client.get("/escalations" + query, headers=auth()), 422)


class TestOne:
    def test_returns_the_chain(self, client, auth, runtime, world, escalated):
        escalation_id = client.get(f"/escalations?patient_id={world.patient}", headers=auth()).get_json()["items"][0]["id"]
        response = client.get(f"/escalations/{escalation_id}", headers=auth("nurse", sub=world.nurse))
        assert response.status_code == 200 and len(response.get_json()["steps"]) == 1
        assert audit_since(runtime)[-1] == ("read", "escalation", str(world.patient), "success")

    def test_clinician_not_on_the_team_is_403(self, client, auth, world, escalated):
        escalation_id = client.get(f"/escalations?patient_id={world.patient}", headers=auth()).get_json()["items"][0]["id"]
        assert_problem(client.get(f"/escalations/{escalation_id}", headers=auth("physician", sub=world.stranger)), 403)

    def test_unknown_is_404(self, client, auth):
        assert_problem(client.get(f"/escalations/{uuid.uuid4()}", headers=auth()), 404)
