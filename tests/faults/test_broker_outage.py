"""RabbitMQ goes away in the middle of a journey, then its connections are
forcibly closed under a burst: staff keep working (every write is accepted,
its events wait in the outbox), the APIs stay ready (in their Services)
while the workers' readiness says the broker is unreachable, and once it is
back every event reaches every consumer exactly once, with every effect
exactly once.
"""
from datetime import timedelta

from support.api import ok
from support.observe import all_delivered_once, channels, events_about, mail_to, notifications, outbox
from support.stack import eventually
from support.world import idempotency, slot_start

VISIT = "cardiology-follow-up"


def readiness(stack, service):
    response = stack.client(service).session.get(stack.url(service) + "/readyz", timeout=10)
    return response.status_code, response


def test_broker_outage_mid_journey_loses_nothing_and_applies_everything_once(stack, world):
    case = world.cardiology_case(clinician="physician", open_visits=[VISIT])
    coordinator, nurse, physician, cardiologist, patient, daughter = case.cast
    team = case.team
    plan = world.plan_from_template(physician, patient, start_date=stack.now().date().isoformat(),
                                    leave_out=["cardiac-rehabilitation"])
    before = {e["id"] for e in events_about(stack, patient.id)}

    stack.broker.cut()
    try:
        def broker_down():
            status, body = stack.worker_readiness("careplans")
            return status == 503 and body
        down = eventually(broker_down, timeout=20, message="the careplans worker to report the broker unreachable")
        assert down["checks"] == {"broker": "unreachable"}
        # The API writes to its outbox, not to the broker: it stays in its Service.
        status, response = readiness(stack, "careplans")
        assert status == 200 and response.json()["checks"] == {"database": "ok"}

        # The journey goes on: every write is accepted while the broker is away.
        active = world.set_plan_status(physician, plan, "active", "discharged")
        activity = next(a for a in active["activities"]
                        if a["kind"] == "follow-up" and a["follow_up"]["appointment_type_code"] == VISIT)
        appointment = world.book(coordinator, patient, cardiologist, VISIT,
                                 slot_start(stack.now() + timedelta(days=7)),
                                 care_plan_id=plan["id"], plan_activity_id=activity["id"])
        ok(nurse.client("patients").post(f"/patients/{patient.id}/allergies", headers=idempotency(), json={
            "substance_system": "rxnorm", "substance_code": "7980", "substance_name": "penicillin G",
            "category": "medication", "criticality": "low", "clinical_status": "active"}), 201)

        during = [e for e in events_about(stack, patient.id) if e["id"] not in before]
        assert {e["type"] for e in during} >= {"careplans.plan-updated", "careplans.plan-status-changed",
                                               "scheduling.appointment-booked", "patients.allergy-changed"}
        assert not any(e["published"] for e in during), "nothing can be published while the broker is away"
    finally:
        stack.broker.restore()

    eventually(lambda: stack.worker_readiness("careplans")[0] == 200, timeout=30,
               message="the careplans worker ready again")

    # Every event of the journey is published and applied once by each consumer ...
    def all_out():
        events = [e for e in events_about(stack, patient.id) if e["id"] not in before]
        assert all(e["published"] for e in events), [e["type"] for e in events if not e["published"]]
        return events

    events = eventually(all_out, timeout=45, message="the outbox to drain")
    eventually(lambda: all_delivered_once(stack, all_out()), timeout=45, message="every event at every consumer")
    events = all_out()

    # ... and each effect happened once: the visit is on the plan, the request
    # fulfilled, everyone told once.
    plan_now = ok(physician.client("careplans").get(f"/care-plans/{plan['id']}"))
    assert next(a for a in plan_now["activities"] if a["id"] == activity["id"])["status"] == "scheduled"
    versions = [e["data"]["version"] for e in outbox(stack, "careplans", "careplans.plan-updated", plan_id=plan["id"])]
    assert versions == [1, 2, 3], "draft, activation, visit scheduled: one version each"
    requests = ok(coordinator.client("scheduling").get("/booking-requests", params={
        "patient_id": patient.id, "status": "fulfilled"}))["items"]
    assert [(r["plan_activity_id"], r["appointment_id"]) for r in requests] == [(activity["id"], appointment["id"])]

    booked = next(e for e in events if e["type"] == "scheduling.appointment-booked")
    activation = next(e for e in events if e["type"] == "careplans.plan-updated" and e["data"]["version"] == 2)

    def told_once():
        history = notifications(stack, patient.id)
        for event, recipients in ((booked, {patient.id, daughter["id"]}),
                                  (activation, {patient.id, *(m.id for m in team)})):
            got = [n["recipient_id"] for n in history if n["source_event_id"] == event["id"]]
            assert sorted(got) == sorted(recipients), (event["type"], got)
        for n in history:
            if n["recipient_type"] != "practitioner":
                assert channels(n) == {"inapp": "sent", "email": "sent"}, n
        return True

    eventually(told_once, timeout=30, message="everyone told once")
    stack.wait_for_job_runs("notifications", "send-deliveries")
    assert len(mail_to(stack, daughter["email"])) == 1, "the booking, once"
    assert len(mail_to(stack, patient.email)) == 2, "the activated plan and the booking, once each"


def test_connections_forcibly_closed_under_a_burst_lose_nothing(stack, world):
    coordinator = world.practitioner("coordinator")
    nurse = world.practitioner("nurse")
    patient = world.patient(coordinator)
    world.care_team(coordinator, patient, [coordinator, nurse])
    world.wait_until_known(patient, [coordinator, nurse], clinician=nurse)
    careplans = coordinator.client("careplans")
    before = {e["id"] for e in events_about(stack, patient.id)}

    tasks = []
    for number in range(30):
        tasks.append(ok(careplans.post("/tasks", headers=idempotency(), json={
            "patient_id": patient.id, "code": "general", "reason": f"call about item {number}",
            "owner_id": nurse.id}), 201))
        if number in (5, 15, 25):
            stack.broker.drop_connections()

    def burst_delivered():
        events = [e for e in events_about(stack, patient.id) if e["id"] not in before]
        assigned = [e for e in events if e["type"] == "careplans.task-assigned"]
        assert len(assigned) == len(tasks) and all(e["published"] for e in events), len(assigned)
        return all_delivered_once(stack, events) and assigned

    assigned = eventually(burst_delivered, timeout=45, message="the burst at every consumer")
    assert sorted(e["data"]["task_id"] for e in assigned) == sorted(t["id"] for t in tasks)

    def nurse_told():
        inbox = ok(nurse.client("notifications").get("/inbox", params={"page_size": 100}))["items"]
        got = [n["source_event_id"] for n in inbox if n["source_event_type"] == "careplans.task-assigned"]
        assert sorted(got) == sorted(e["id"] for e in assigned), len(got)
        return True

    eventually(nurse_told, timeout=30, message="one inbox notification per task")
