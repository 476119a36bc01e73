"""Issue 25: what one service decides, the others act on.

1. The payer says a coverage is terminated: billing takes it out of force,
   estimates stop applying it and the care team's summary shows it.
2. The payer denies a prior authorization a booked MRI depends on: the lead
   coordinator gets a task, the visit is flagged, the patient is told.
5. A hospital discharge opens the post-discharge check-in (due within 48 h)
   and the nurse's medication reconciliation.
7. A missed visit nobody acknowledges escalates only to people not told yet:
   the rest of the team, the duty rota's on-call nurse, then its supervisor;
   the escalation names the team; an acknowledgement after it ran out is kept.
"""
from datetime import datetime, timedelta

from support.api import ok
from support.observe import notifications, outbox
from support.stack import eventually
from support.world import idempotency, slot_start

MRI = "mri-lumbar-spine"
ESCALATION_AFTER_MINUTES = 15


def test_a_terminated_coverage_stops_counting_and_the_team_sees_it(stack, world):
    case = world.cardiology_case()
    coordinator, nurse, _physician, _cardiologist, patient, _daughter = case.cast
    biller = world.practitioner("billing", name="biller")
    coverage = world.coverage(biller, patient, member_id="ACM-TERMINATED")
    billing = biller.client("billing")
    check = ok(billing.post(f"/coverages/{coverage['id']}/eligibility-checks", json={}), 201)
    assert (check["status"], check["reason_code"]) == ("inactive", "coverage-terminated")
    assert ok(billing.get(f"/coverages/{coverage['id']}"))["status"] == "inactive"

    estimate = ok(billing.post("/estimates", headers=idempotency(),
                               json={"patient_id": patient.id, "service_code": "99214"}), 201)
    assert (estimate["basis"], estimate["coverage_id"]) == ("no-coverage", None)
    assert "coverage-terminated" in estimate["explanation"]

    summary = ok(nurse.client("billing").get("/coverages/summary", params={"patient_id": patient.id}))
    assert [(c["coverage_id"], c["status"], c["status_reason"]) for c in summary["coverages"]] == [
        (coverage["id"], "inactive", "coverage-terminated")]


def test_a_denied_prior_authorization_reaches_the_coordinator_the_visit_and_the_patient(stack, world):
    case = world.cardiology_case()
    coordinator, _nurse, _physician, _cardiologist, patient, _daughter = case.cast
    radiologist = world.practitioner("specialist", specialty="radiology", name="radiologist")
    biller = world.practitioner("billing", name="biller")
    world.coverage(biller, patient, payer_id="bluestone-mutual", plan_id="BSM-BASIC")
    world.open_all_week(coordinator, radiologist, [MRI], location="riverside-hospital")
    appointment = world.book(coordinator, patient, radiologist, MRI, slot_start(stack.now() + timedelta(days=3)))

    billing = biller.client("billing")
    def submitted():
        items = ok(billing.get("/prior-authorizations", params={"patient_id": patient.id}))["items"]
        assert len(items) == 1 and items[0]["submitted_at"], items
        return items[0]

    request = eventually(submitted, message="the prior authorization request sent to the payer")
    stack.advance(hours=25)  # the payer decides after a day: denied
    eventually(lambda: ok(billing.get(f"/prior-authorizations/{request['id']}"))["status"] == "denied",
               timeout=60, message="the denial")
    [denied] = outbox(stack, "billing", "billing.prior-auth-decided", prior_auth_id=request["id"], status="denied")
    assert denied["data"]["affected_appointment_ids"] == [appointment["id"]]

    careplans = coordinator.client("careplans")
    task = eventually(lambda: ok(careplans.get("/tasks", params={"patient_id": patient.id,
                                                                "code": "prior-auth-follow-up"}))["items"],
                      message="the coordinator's task")[0]
    assert (task["owner_id"], task["priority"], task["focus_id"]) == (coordinator.id, "urgent", appointment["id"])

    scheduling = coordinator.client("scheduling")
    eventually(lambda: ok(scheduling.get(f"/appointments/{appointment['id']}"))["authorization_issue"] == "denied",
               message="the visit flagged")

    def patient_told():
        told = notifications(stack, patient.id, event_type="scheduling.appointment-authorization-at-risk")
        assert [n["recipient_id"] for n in told if n["recipient_type"] == "patient"] == [patient.id], told
        return told

    told = eventually(patient_told, message="the patient told the visit is affected")
    assert "was denied" in next(n for n in told if n["recipient_type"] == "patient")["body"]


def test_a_discharge_opens_the_post_discharge_check_in_and_medication_reconciliation(stack, world):
    case = world.cardiology_case()
    coordinator, nurse, _physician, _cardiologist, patient, _daughter = case.cast
    careplans = nurse.client("careplans")
    now = stack.now()
    discharged_at = now - timedelta(hours=3)
    stay = ok(careplans.post("/hospital-stays", headers=idempotency(), json={
        "patient_id": patient.id, "facility": "Riverside General", "admitted_at": (now - timedelta(days=5)).isoformat(),
        "discharged_at": discharged_at.isoformat(), "discharge_disposition": "home"}), 201)
    assert stay["discharged_at"] is not None

    tasks = {t["code"]: t for t in ok(careplans.get("/tasks", params={"patient_id": patient.id}))["items"]}
    assert tasks["check-in"]["owner_id"] == coordinator.id
    due = datetime.fromisoformat(tasks["check-in"]["due_at"])
    assert abs(due - (discharged_at + timedelta(hours=48))) < timedelta(seconds=1)
    assert tasks["medication-review"]["owner_id"] == nurse.id

    def nurse_told():
        history = notifications(stack, patient.id, event_type="careplans.task-assigned")
        assert nurse.id in {n["recipient_id"] for n in history}, history
        return history

    eventually(nurse_told, message="the nurse told of the reconciliation")


def test_an_unacknowledged_missed_visit_escalates_to_people_not_told_yet(stack, world):
    case = world.cardiology_case(open_visits=["cardiology-follow-up"])
    lead, nurse, physician, cardiologist, patient, _daughter = case.cast
    on_call = world.practitioner("nurse", name="on-call")
    supervisor = world.practitioner("coordinator", name="supervisor")
    rota = lead.client("notifications")
    shift_start, shift_end = stack.now() - timedelta(hours=1), stack.now() + timedelta(hours=12)

    def on_rota(person, duty):
        response = rota.post("/recipients/duty-shifts", json={
            "practitioner_id": person.id, "duty": duty, "starts_at": shift_start.isoformat(),
            "ends_at": shift_end.isoformat()})
        return response.status_code == 201  # 422 until notifications knows the practitioner

    eventually(lambda: on_rota(on_call, "on-call"), message="the on-call nurse on the rota")
    eventually(lambda: on_rota(supervisor, "supervisor"), message="the supervisor on the rota")

    start = slot_start(stack.now() + timedelta(hours=1))
    appointment = world.book(lead, patient, cardiologist, "cardiology-follow-up", start)
    stack.advance_to(start + timedelta(minutes=16))
    missed = eventually(lambda: outbox(stack, "scheduling", "scheduling.appointment-missed",
                                       appointment_id=appointment["id"]), message="the no-show")[0]

    notices = lead.client("notifications")
    escalation = eventually(lambda: ok(notices.get("/escalations", params={"patient_id": patient.id}))["items"],
                            message="the escalation")[0]
    assert escalation["source_event_id"] == missed["id"]
    assert escalation["care_team_id"] == patient.team["id"]

    expected_steps = []
    for level, audience, people in ((1, "care-team-others", {physician.id, cardiologist.id}),
                                    (2, "on-call", {on_call.id}), (3, "supervisor", {supervisor.id})):
        stack.advance(minutes=ESCALATION_AFTER_MINUTES + 1)

        def stepped(level=level):
            current = ok(notices.get(f"/escalations/{escalation['id']}"))
            assert current["level"] >= level, current
            return current

        current = eventually(stepped, timeout=60, message=f"escalation step {level}")
        expected_steps += [(level, audience, who) for who in people]
        assert sorted((s["level"], s["audience"], s["recipient_id"]) for s in current["steps"]) == \
            sorted(expected_steps)
    told_first = {lead.id, nurse.id}
    assert not told_first & {s["recipient_id"] for s in current["steps"]}, "nobody is told twice"

    stack.advance(minutes=ESCALATION_AFTER_MINUTES + 1)
    eventually(lambda: ok(notices.get(f"/escalations/{escalation['id']}"))["status"] == "exhausted",
               timeout=60, message="the chain to run out")

    # The nurse acknowledges afterwards: it is recorded on the escalation.
    inbox = ok(nurse.client("notifications").get("/inbox", params={"urgent_only": True, "page_size": 100}))["items"]
    original = next(n for n in inbox if n["source_event_id"] == missed["id"])
    ok(nurse.client("notifications").post(f"/inbox/{original['id']}/acknowledge"))
    closed = ok(notices.get(f"/escalations/{escalation['id']}"))
    assert (closed["status"], closed["acknowledged_by"]) == ("acknowledged", nurse.id)
