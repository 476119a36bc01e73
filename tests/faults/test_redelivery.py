"""Redelivered and duplicated events have one effect each: a worker killed
with SIGKILL in the middle of a burst (its unacknowledged messages come back
to whoever consumes next), and the very same envelope published twice more
(as a relay does when it dies between the broker's confirm and its own
bookkeeping).
"""
import json
import uuid
from datetime import timedelta

from carebridge.events import Event
from carebridge.testing import make_event
from support.api import ok
from support.observe import applied, channels, consumers_of, mail_to, notifications, outbox
from support.stack import eventually
from support.world import slot_start

BURST = 400
VISIT = "cardiology-follow-up"
BOOKED = "scheduling.appointment-booked"


def test_worker_killed_mid_burst_applies_each_redelivered_event_once(stack, world):
    coordinator = world.practitioner("coordinator")
    nurse = world.practitioner("nurse")
    patient = world.patient(coordinator)
    team = world.care_team(coordinator, patient, [coordinator, nurse])
    world.wait_until_known(patient, [coordinator, nurse])

    events = [make_event("careplans.task-assigned", {
        "task_id": uuid.uuid4(), "patient_id": patient.id, "care_team_id": team["id"], "owner_id": nurse.id,
        "code": "general", "priority": "routine", "requester_id": coordinator.id}) for _ in range(BURST)]
    ids = [str(e.id) for e in events]
    with stack.publisher("careplans") as publisher:
        publisher.publish_events([(e.to_json(), str(e.id), e.type) for e in events])

    def applied_so_far() -> int:
        return sum(applied(stack, "notifications", ids).values())

    # Kill it once a few batches are in (the consumer applies up to its
    # prefetch count per transaction), while the rest is being handled.
    eventually(lambda: applied_so_far() >= BURST // 8, timeout=30, interval=0.01, message="the burst under way")
    stack.real.kill_worker("notifications")
    try:
        assert not stack.worker_alive("notifications")
        at_kill = applied_so_far()
        assert at_kill < BURST, "the worker was killed in the middle of the burst"
    finally:
        stack.start_worker("notifications")
    eventually(lambda: set(applied(stack, "notifications", ids).values()) == {1}, timeout=90,
               message="every event of the burst applied once")
    history = notifications(stack, patient.id, event_type="careplans.task-assigned")
    assert sorted(n["source_event_id"] for n in history) == sorted(ids), "one notification per event"
    assert {(n["recipient_id"], channels(n)["inapp"]) for n in history} == {(nurse.id, "sent")}


def test_the_same_event_published_twice_more_has_one_effect(stack, world):
    case = world.cardiology_case(open_visits=[VISIT])
    coordinator, nurse, physician, cardiologist, patient, daughter = case.cast
    plan = world.plan_from_template(physician, patient, start_date=(stack.now().date() - timedelta(days=7)).isoformat())
    world.set_plan_status(physician, plan, "active", "discharged")
    activity = next(a for a in plan["activities"]
                    if a["kind"] == "follow-up" and a["follow_up"]["appointment_type_code"] == VISIT)
    appointment = world.book(coordinator, patient, cardiologist, VISIT, slot_start(stack.now() + timedelta(days=2)),
                             care_plan_id=plan["id"], plan_activity_id=activity["id"])

    def settled():
        current = ok(nurse.client("careplans").get(f"/care-plans/{plan['id']}"))
        assert next(a for a in current["activities"] if a["id"] == activity["id"])["status"] == "scheduled"
        told = [n for n in notifications(stack, patient.id, event_type=BOOKED)]
        assert sorted(n["recipient_id"] for n in told) == sorted([patient.id, daughter["id"]])
        assert all(channels(n)["email"] == "sent" for n in told)
        return current

    plan_before = eventually(settled, message="the booking to be applied everywhere")
    [booked] = outbox(stack, "scheduling", BOOKED, appointment_id=appointment["id"])
    consumers = consumers_of(BOOKED)
    assert consumers == ["billing", "careplans", "notifications"]
    eventually(lambda: set(applied(stack, c, [booked["id"]])[booked["id"]] for c in consumers) == {1},
               message="every consumer to have applied the booking")

    def duplicates(service):
        return stack.worker_counter(service, "carebridge_events_consumed_total", event_type=BOOKED,
                                    outcome="duplicate")

    before = {service: duplicates(service) for service in consumers}
    envelope = Event.from_dict({k: v for k, v in booked.items() if k != "published"})
    with stack.publisher("scheduling") as publisher:
        for _ in range(2):
            publisher.publish_event(body=envelope.to_json(), event_id=str(envelope.id), event_type=envelope.type)

    eventually(lambda: all(duplicates(service) == before[service] + 2 for service in consumers), timeout=30,
               message="each consumer to recognise both copies as duplicates")
    assert {c: applied(stack, c, [booked["id"]])[booked["id"]] for c in consumers} == {c: 1 for c in consumers}
    plan_after = ok(nurse.client("careplans").get(f"/care-plans/{plan['id']}"))
    assert plan_after["version"] == plan_before["version"], "no second plan version"
    stack.wait_for_job_runs("notifications", "send-deliveries")
    told = notifications(stack, patient.id, event_type=BOOKED)
    assert sorted(n["recipient_id"] for n in told) == sorted([patient.id, daughter["id"]])
    assert len(mail_to(stack, daughter["email"])) == 1
    billing_view = ok(coordinator.client("billing").get("/prior-authorizations", params={"patient_id": patient.id}))
    assert billing_view["items"] == []
    assert json.loads(envelope.to_json())["id"] == booked["id"]
