"""/recipients: who hears about a patient and by which channels."""
import uuid

from carebridge.testing import assert_problem
from support import audit_since, set_preferences


def by_id(items):
    return {item["recipient_id"]: item for item in items}


def test_lists_patient_family_and_active_team_with_channels_not_addresses(client, auth, runtime, world):
    set_preferences(runtime, "practitioner", world.nurse, opted_out=True)
    response = client.get(f"/recipients?patient_id={world.patient}", headers=auth())
    assert response.status_code == 200
    items = by_id(response.get_json()["items"])
    assert set(items) == {str(i) for i in (world.patient, world.consenting_daughter, world.withdrawn_son,
                                           world.coordinator, world.nurse, world.physician)}
    assert items[str(world.patient)]["reachable_by"] == ["inapp", "email"]
    assert items[str(world.consenting_daughter)]["consents_to"] == ["appointments", "care_plan"]
    assert items[str(world.withdrawn_son)]["consents_to"] == []
    assert items[str(world.coordinator)]["lead_coordinator"] is True
    assert items[str(world.nurse)]["opted_out"] is True and items[str(world.nurse)]["reachable_by"] == []
    assert "pat@example.org" not in response.get_data(as_text=True)
    assert audit_since(runtime) == [("read", "recipients", str(world.patient), "success")]


def test_clinician_not_on_the_team_is_403(client, auth, runtime, world):
    assert_problem(client.get(f"/recipients?patient_id={world.patient}", headers=auth("nurse", sub=world.stranger)),
                   403)
    assert audit_since(runtime) == [("read", "recipients", str(world.patient), "denied")]


def test_patient_unknown_here_is_listed_as_unknown(client, auth):
    stranger = uuid.uuid4()
    [item] = client.get(f"/recipients?patient_id={stranger}", headers=auth()).get_json()["items"]
    assert (item["known"], item["reachable_by"]) == (False, ["inapp"])


def test_patient_id_is_required(client, auth):
    assert_problem(client.get("/recipients", headers=auth()), 422)
    assert_problem(client.get("/recipients?patient_id=123", headers=auth()), 422)
