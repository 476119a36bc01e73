"""Issue 25, item 16: a new nurse starts in training with a mentor (a nurse
on no team of the patient's). The directory publishes the start; care plans
hears of it through the broker and lets the mentor list the trainee's tasks;
the sign-off ends that, and is recorded with who signed and when.
"""
from support.api import ok
from support.stack import eventually
from support.world import idempotency, if_match


def test_a_mentor_follows_the_trainees_tasks_until_the_sign_off(stack, world):
    case = world.cardiology_case(coordinator_name="lead")
    lead, trainee, _physician, _cardiologist, patient, _daughter = case.cast
    mentor = world.practitioner("nurse", name="mentor")
    careplans = lead.client("careplans")
    task = ok(careplans.post("/tasks", json={"patient_id": patient.id, "code": "general", "owner_id": trainee.id,
                                              "reason": "Call about the new scales"},
                             headers=idempotency()), 201)

    def mentor_sees():
        listed = ok(mentor.client("careplans").get("/tasks", params={"owner_id": trainee.id}))["items"]
        return [item["id"] for item in listed]

    assert mentor_sees() == []
    patients = lead.client("patients")
    training = ok(patients.post(f"/practitioners/{trainee.id}/training", json={"mentor_id": mentor.id},
                                headers=idempotency()), 201)
    eventually(lambda: mentor_sees() == [task["id"]], message="the mentor to see the trainee's task")

    path = f"/practitioners/{trainee.id}/training"
    codes = [item["code"] for item in training["checklist"]]
    signed = ok(patients.patch(path, json={"done": codes, "status": "signed-off"},
                               headers=if_match(patients.get(path))))
    assert (signed["status"], signed["signed_off_by"]) == ("signed-off", lead.id) and signed["signed_off_at"]
    eventually(lambda: mentor_sees() == [], message="the mentor's view to end with the sign-off")
