"""A newer producer may add fields: the running consumers, on the real broker,
apply an envelope carrying fields they do not know (at the top and in
`data`) as they would without them."""
import json
import uuid

from carebridge.testing import make_event
from support.api import ok
from support.observe import applied
from support.stack import eventually


def test_a_consumer_on_the_broker_applies_an_envelope_with_unknown_fields(stack, world):
    coordinator = world.practitioner("coordinator")
    nurse = world.practitioner("nurse")
    patient = world.patient(coordinator)
    team = world.care_team(coordinator, patient, [coordinator, nurse])
    world.wait_until_known(patient, [coordinator, nurse])

    event = make_event("careplans.task-assigned", {
        "task_id": uuid.uuid4(), "patient_id": patient.id, "care_team_id": team["id"], "owner_id": nurse.id,
        "code": "general", "priority": "routine"})
    envelope = event.to_dict()
    envelope["schema_url"] = "https://carebridge.example/schemas/careplans/task-assigned/1"
    envelope["data"]["estimated_minutes"] = 15
    envelope["data"]["owner"] = {"display": "added by a newer producer"}
    with stack.publisher("careplans") as publisher:
        publisher.publish_event(body=json.dumps(envelope), event_id=str(event.id), event_type=event.type)

    def in_the_nurses_inbox():
        inbox = ok(nurse.client("notifications").get("/inbox", params={"page_size": 100}))["items"]
        return [n for n in inbox if n["source_event_id"] == str(event.id)]

    [notification] = eventually(in_the_nurses_inbox, message="the task in the nurse's inbox")
    assert notification["source_event_type"] == "careplans.task-assigned"
    assert applied(stack, "notifications", [event.id]) == {str(event.id): 1}
