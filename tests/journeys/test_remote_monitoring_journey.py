"""Journey 5: a heart-failure patient is enrolled in remote monitoring with a
cellular scale. The gateway sends a reading a day (one batch retried), the
weight is steady for two weeks, then climbs over three days: the third day's
gain opens one urgent alert; care plans puts an urgent task on the nurse's
worklist and notifications puts the alert and the task in her inbox; she
records what she did, the alert closes and her task completes; after the
month's end billing has charged the month's remote monitoring (99453 set-up,
99454 for 17 days of readings, 99457 for her 25 minutes), once.
"""
from datetime import datetime, timedelta, timezone

from support.api import ok
from support.observe import notifications, outbox
from support.stack import eventually
from support.world import idempotency, if_match

LB = 0.45359237
# Two weeks steady around 80 kg, then +0.5 kg, +0.5 kg and +1.0 kg a day (the
# gateway sends pounds, to a tenth): only the last gain is over 0.9 kg in a
# day, and the week's (2.1 kg) stays under 2.3 kg.
STEADY_KG = [80.0, 80.2, 79.9, 80.1, 80.0, 79.8, 80.1, 80.0, 80.2, 79.9, 80.0, 80.1, 79.9, 80.0]
CLIMB_KG = [80.5, 81.0, 82.0]


def test_a_weight_climb_reaches_the_nurse_closes_with_her_action_and_is_billed_at_month_end(stack, world):
    case = world.cardiology_case(coordinator_name="lead")
    lead, nurse, physician, _cardiologist, patient, _daughter = case.cast
    monitoring = nurse.client("monitoring")
    gateway = stack.client("monitoring", role="device-gateway", subject=f"gateway-{world.tag}")
    serial = f"SCALE-{world.tag}"

    # A calendar month of its own (the patient's, New York): start on the 1st.
    now = stack.now()
    first = (now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    stack.advance_to(first)

    # Enrolled once monitoring knows the patient (time zone) and the team (the nurse's access).
    def enrolled():
        response = monitoring.post("/enrolments", headers=idempotency(), json={
            "patient_id": patient.id, "condition": "heart-failure", "measures": ["weight"],
            "device": {"kind": "cellular-scale", "serial": serial}, "consent_date": first.date().isoformat()})
        return response.status_code == 201 and response.json()

    enrolment = eventually(enrolled, timeout=30, message="the enrolment")
    assert enrolment["time_zone"] == "America/New_York"
    assert [r["code"] for r in enrolment["rules"]][:2] == ["weight-gain-day", "weight-gain-week"]

    def send(batch: list[dict]) -> dict:
        result = ok(gateway.post("/readings/batches", json={"readings": batch}))
        assert result["refused"] == 0, result
        return result

    opened = []
    for day, kg in enumerate(STEADY_KG + CLIMB_KG):
        batch = [{"device_serial": serial, "measure": "weight", "value": round(kg / LB, 1), "unit": "[lb_av]",
                  "taken_at": stack.now().isoformat()}]
        result = send(batch)
        assert result["stored"] == 1
        opened += result["alerts_opened"]
        if day == 3:   # the gateway retries a batch it was not sure went through
            again = send(batch)
            assert (again["stored"], again["duplicates"]) == (0, 1)
        if day < len(STEADY_KG) + len(CLIMB_KG) - 1:
            assert opened == [], f"no alert before the third day of the climb (day {day})"
            stack.advance(days=1)
    assert len(opened) == 1, "one alert for the climb"
    alert_id = opened[0]
    alert = ok(monitoring.get(f"/alerts/{alert_id}"))
    assert (alert["rule_code"], alert["severity"], alert["status"]) == ("weight-gain-day", "urgent", "open")
    assert [r["value"] for r in alert["readings"]] == ["81.01", "82.01"]
    events = outbox(stack, "monitoring", "monitoring.alert-opened", alert_id=alert_id)
    assert len(events) == 1 and set(events[0]["data"]) >= {"reading_ids", "rule_code"}
    assert "value" not in events[0]["data"], "no reading's value leaves the service"

    # The nurse's worklist: one urgent task, hers, naming the alert and its readings.
    careplans = nurse.client("careplans")
    tasks = eventually(lambda: ok(careplans.get("/tasks", params={"mine": True, "patient_id": patient.id}))["items"],
                       message="the task on the nurse's worklist")
    assert len(tasks) == 1
    task = tasks[0]
    assert (task["owner_id"], task["priority"], task["code"], task["status"]) == (
        nurse.id, "urgent", "outreach", "requested")
    assert alert_id in task["note"] and all(r["id"] in task["note"] for r in alert["readings"])

    # Her inbox: the urgent alert (escalated if nobody acknowledges) and the task.
    def in_her_inbox():
        inbox = ok(nurse.client("notifications").get("/inbox", params={"page_size": 100}))["items"]
        mine = [n for n in inbox if n["patient_id"] == patient.id]
        kinds = {n["source_event_type"]: n for n in mine}
        return {"monitoring.alert-opened", "careplans.task-assigned"} <= set(kinds) and kinds

    inbox = eventually(in_her_inbox, message="the alert and the task in the nurse's inbox")
    assert inbox["monitoring.alert-opened"]["urgency"] == "urgent"
    assert inbox["monitoring.alert-opened"]["title"] == "Monitoring alert: urgent, weight gain over a day"
    lead_told = notifications(stack, patient.id, event_type="monitoring.alert-opened")
    assert {n["recipient_id"] for n in lead_told} == {nurse.id, lead.id}

    # She calls the patient, doubles the diuretic for two days and records it.
    stack.advance(minutes=40)
    closed = ok(monitoring.post(f"/alerts/{alert_id}/actions", headers=if_match(monitoring.get(f"/alerts/{alert_id}")),
                                json={"action_code": "medication-adjusted", "minutes": 25,
                                      "note": "Doubled furosemide for two days; weigh daily."}))
    assert (closed["status"], closed["action_code"], closed["closed_by"]) == ("closed", "medication-adjusted", nurse.id)
    eventually(lambda: ok(careplans.get(f"/tasks/{task['id']}"))["status"] == "completed",
               message="the task completed by the closed alert")
    assert ok(monitoring.get("/alerts", params={"patient_id": patient.id, "status": "open"}))["total"] == 0

    # After the month's end (everywhere, plus a day for late readings) billing charges it, once.
    month_after = (first + timedelta(days=32)).replace(day=1)
    stack.advance_to(month_after + timedelta(days=2, hours=1))
    billing = lead.client("billing")

    def charged():
        items = ok(billing.get("/charges", params={"patient_id": patient.id}))["items"]
        return len(items) == 3 and items

    charges = eventually(charged, timeout=30, message="the month's monitoring charges")
    last_day = (month_after - timedelta(days=1)).date().isoformat()
    assert sorted((c["service_code"], c["service_date"], c["amount"]["amount"]) for c in charges) == [
        ("99453", last_day, "19.73"), ("99454", last_day, "43.02"), ("99457", last_day, "47.87")]
    stack.wait_for_job_runs("billing", "monitoring-month-end")
    assert len(ok(billing.get("/charges", params={"patient_id": patient.id}))["items"]) == 3, "never twice"
