"""Journey 2: the cardiology visit of a heart-failure plan appears on the
scheduling "to book" list; the coordinator asks billing what it will cost
the patient and books it; the 24-hour and 2-hour reminders reach the
patient and the daughter (who consented to hear about appointments) when
they fall due on the clock and not before; the patient checks in; completing
the visit closes the plan's activity, opens the 48-hour check-in task, and
creates the charge and the claim, which the payer pays leaving the patient
exactly the share the estimate announced.
"""
from datetime import datetime, timedelta

from support.api import ok
from support.observe import channels, mail_to, notifications, outbox
from support.stack import eventually
from support.world import if_match, slot_start

VISIT = "cardiology-follow-up"
REMINDER = "scheduling.appointment-reminder-due"


def test_follow_up_visit_from_booking_list_to_paid_claim(stack, world):
    case = world.cardiology_case(open_visits=[VISIT])
    coordinator, nurse, physician, cardiologist, patient, daughter = case.cast
    biller = world.practitioner("billing", name="biller")
    coverage = world.coverage(biller, patient, copays={"specialist": {"amount": "40.00", "currency": "USD"}})

    # Discharged a week ago: the cardiology visit is due within the next 7 days.
    today = stack.now().date()
    plan = world.plan_from_template(physician, patient, start_date=(today - timedelta(days=7)).isoformat())
    plan = world.set_plan_status(physician, plan, "active", "discharged")
    activity = next(a for a in plan["activities"]
                    if a["kind"] == "follow-up" and a["follow_up"]["appointment_type_code"] == VISIT)

    request = eventually(lambda: next((r for r in world.booking_requests(coordinator, patient)
                                       if r["plan_activity_id"] == activity["id"]), None),
                         message="the visit on the to-book list")
    assert (request["appointment_type_code"], request["care_plan_id"], request["status"]) == (VISIT, plan["id"], "open")
    assert request["window_start"] == today.isoformat()

    start = slot_start(stack.now() + timedelta(hours=26))
    slots = ok(coordinator.client("scheduling").get("/slots", params={
        "appointment_type_code": VISIT, "practitioner_id": cardiologist.id, "time_zone": "UTC",
        "start_date": start.date().isoformat(), "end_date": start.date().isoformat(), "page_size": 100}))["items"]
    assert start in [datetime.fromisoformat(s["start"]) for s in slots]

    estimate = ok(coordinator.client("billing").post("/estimates", json={
        "patient_id": patient.id, "appointment_type_code": VISIT, "service_date": start.date().isoformat()}), 201)
    assert (estimate["basis"], estimate["coverage_id"], estimate["category"]) == ("with-coverage", coverage["id"], "specialist")
    assert estimate["patient_pays"] == {"amount": "40.00", "currency": "USD"}

    appointment = world.book(coordinator, patient, cardiologist, VISIT, start,
                             care_plan_id=plan["id"], plan_activity_id=activity["id"])
    assert appointment["status"] == "booked" and appointment["service_code"] == estimate["service_code"]

    # The request leaves the list; the plan's activity is scheduled.
    eventually(lambda: all(r["plan_activity_id"] != activity["id"] for r in world.booking_requests(coordinator, patient)),
               message="the request to leave the to-book list")
    fulfilled = ok(coordinator.client("scheduling").get(f"/booking-requests/{request['id']}"))
    assert fulfilled["appointment_id"] == appointment["id"]

    def activity_status():
        current = ok(nurse.client("careplans").get(f"/care-plans/{plan['id']}"))
        return next(a for a in current["activities"] if a["id"] == activity["id"])["status"]

    eventually(lambda: activity_status() == "scheduled", message="the plan activity to be scheduled")

    # Reminders: not before their moment, then to the patient and the daughter.
    def reminders():
        return outbox(stack, "scheduling", REMINDER, appointment_id=appointment["id"])

    def reminded(offset: int) -> list[dict]:
        event = next((e for e in reminders() if e["data"]["offset_minutes"] == offset), None)
        assert event is not None, f"no {offset}-minute reminder yet"
        history = notifications(stack, patient.id, event_type=REMINDER)
        sent = [n for n in history if n["source_event_id"] == event["id"]]
        assert {n["recipient_id"] for n in sent} == {patient.id, daughter["id"]}, sent
        assert all(channels(n) == {"inapp": "sent", "email": "sent"} for n in sent), sent
        return sent

    stack.advance_to(start - timedelta(hours=24, minutes=10))
    stack.wait_for_job_runs("scheduling", "send-appointment-reminders")
    assert reminders() == []

    stack.advance_to(start - timedelta(hours=24) + timedelta(minutes=1))
    first = eventually(lambda: reminded(1440), message="the 24-hour reminder")
    for notification in first:
        email = next(d for d in notification["deliveries"] if d["channel"] == "email")
        assert datetime.fromisoformat(email["sent_at"]) >= start - timedelta(hours=24)

    stack.advance_to(start - timedelta(hours=2, minutes=10))
    stack.wait_for_job_runs("scheduling", "send-appointment-reminders")
    assert [e["data"]["offset_minutes"] for e in reminders()] == [1440]

    stack.advance_to(start - timedelta(hours=2) + timedelta(minutes=1))
    second = eventually(lambda: reminded(120), message="the 2-hour reminder")
    for notification in second:
        email = next(d for d in notification["deliveries"] if d["channel"] == "email")
        assert datetime.fromisoformat(email["sent_at"]) >= start - timedelta(hours=2)
    assert [e["data"]["offset_minutes"] for e in reminders()] == [1440, 120]

    # The patient: the activated plan, the booking and two reminders; the
    # daughter: the booking and the reminders only.
    def mail_count(address, expected):
        return len(mail_to(stack, address)) == expected

    eventually(lambda: mail_count(patient.email, 4) and mail_count(daughter["email"], 3),
               message="booking and reminder emails")
    family_history = notifications(stack, patient.id, recipient_type="related-person")
    assert sorted(n["source_event_type"] for n in family_history) == sorted(
        ["scheduling.appointment-booked", REMINDER, REMINDER])

    # The visit: the patient checks in, the cardiologist completes it.
    stack.advance_to(start + timedelta(minutes=2))
    checked_in = world.set_appointment_status(coordinator, appointment, "checked-in")
    assert checked_in["status"] == "checked-in" and checked_in["checked_in_at"]
    stack.advance(minutes=30)
    completed = world.set_appointment_status(cardiologist, appointment, "fulfilled")
    completed_at = datetime.fromisoformat(completed["completed_at"])
    assert completed["status"] == "fulfilled"
    assert [e["data"]["appointment_id"] for e in outbox(stack, "scheduling", "scheduling.appointment-checked-in",
                                                        patient_id=patient.id)] == [appointment["id"]]

    # Care plans: the activity completed, the 48-hour check-in task opened.
    eventually(lambda: activity_status() == "completed", message="the plan activity to be completed")
    tasks = eventually(lambda: ok(coordinator.client("careplans").get("/tasks", params={
        "patient_id": patient.id, "code": "check-in"}))["items"], message="the check-in task")
    assert len(tasks) == 1
    task = tasks[0]
    assert (task["owner_id"], task["focus_id"], task["status"]) == (coordinator.id, appointment["id"], "requested")
    assert abs(datetime.fromisoformat(task["due_at"]) - (completed_at + timedelta(hours=48))) < timedelta(minutes=1)

    # Billing: one charge at the estimate's price, one claim against the coverage.
    billing = biller.client("billing")
    charges = eventually(lambda: ok(billing.get("/charges", params={"patient_id": patient.id}))["items"],
                         message="the charge")
    assert len(charges) == 1
    charge = charges[0]
    assert (charge["appointment_id"], charge["service_code"], charge["amount"]) == (
        appointment["id"], estimate["service_code"], estimate["price"])
    claims = eventually(lambda: ok(billing.get("/claims", params={"patient_id": patient.id}))["items"],
                        message="the claim")
    assert len(claims) == 1 and claims[0]["id"] == charge["claim_id"]
    claim = claims[0]
    assert (claim["status"], claim["coverage_id"], claim["billed"]) == ("draft", coverage["id"], estimate["price"])

    # Billing staff send it now rather than after the review hold; the payer pays.
    current = billing.get(f"/claims/{claim['id']}")
    submitted = ok(billing.post(f"/claims/{claim['id']}/submit", headers=if_match(current)))
    assert submitted["status"] == "submitted"
    stack.advance(minutes=61)
    eventually(lambda: ok(billing.get(f"/claims/{claim['id']}"))["status"] == "accepted", message="acceptance")
    stack.advance(hours=24, minutes=1)
    paid = eventually(lambda: (c := ok(billing.get(f"/claims/{claim['id']}")))["status"] == "paid" and c,
                      message="payment")
    assert paid["patient_responsibility"] == estimate["patient_pays"]
    assert paid["paid"] == estimate["plan_pays"]
    assert paid["patient_share"] == estimate["patient_share"]
    assert [(h["from_status"], h["to_status"]) for h in paid["history"]] == [
        (None, "draft"), ("draft", "submitted"), ("submitted", "accepted"), ("accepted", "paid")]
