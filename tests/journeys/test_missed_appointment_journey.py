"""Journey 3: a booked cardiology visit passes its grace period with no
check-in. Exactly one `appointment-missed` goes out; care plans opens one
urgent outreach task for the lead coordinator and puts the visit back on the
to-book list; the lead coordinator and the nurse get an urgent notification
(inbox and email), the patient a "let's rebook" message, the daughter (who
may hear about appointments) hers; nobody acknowledges, so the escalation
reaches the rest of the team (the lead and the nurse were told already);
once acknowledged it stops.
"""
from datetime import datetime, timedelta

from support.api import ok
from support.observe import channels, mail_to, notifications, outbox, told
from support.stack import eventually
from support.world import slot_start

VISIT = "cardiology-follow-up"
MISSED = "scheduling.appointment-missed"
GRACE_MINUTES = 15
ESCALATION_AFTER_MINUTES = 15


def test_missed_visit_opens_outreach_tells_everyone_once_and_escalates_to_the_rest_of_the_team(stack, world):
    case = world.cardiology_case(coordinator_name="lead", open_visits=[VISIT])
    lead, nurse, physician, cardiologist, patient, daughter = case.cast
    plan = world.plan_from_template(physician, patient, start_date=(stack.now().date() - timedelta(days=7)).isoformat())
    world.set_plan_status(physician, plan, "active", "discharged")
    activity = next(a for a in plan["activities"]
                    if a["kind"] == "follow-up" and a["follow_up"]["appointment_type_code"] == VISIT)
    eventually(lambda: any(r["plan_activity_id"] == activity["id"] for r in world.booking_requests(lead, patient)),
               message="the visit on the to-book list")

    start = slot_start(stack.now() + timedelta(hours=1))
    appointment = world.book(lead, patient, cardiologist, VISIT, start,
                             care_plan_id=plan["id"], plan_activity_id=activity["id"])
    appointment_path = f"/appointments/{appointment['id']}"
    scheduling = lead.client("scheduling")

    # Within the grace period it is still just late.
    stack.advance_to(start + timedelta(minutes=GRACE_MINUTES - 1))
    stack.wait_for_job_runs("scheduling", "mark-missed-appointments")
    assert ok(scheduling.get(appointment_path))["status"] == "booked"

    stack.advance_to(start + timedelta(minutes=GRACE_MINUTES + 1))
    eventually(lambda: ok(scheduling.get(appointment_path))["status"] == "noshow", message="the no-show")
    stack.wait_for_job_runs("scheduling", "mark-missed-appointments")
    missed = outbox(stack, "scheduling", MISSED, appointment_id=appointment["id"])
    assert len(missed) == 1, "exactly one appointment-missed"
    event = missed[0]
    assert event["data"]["grace_minutes"] == GRACE_MINUTES
    detected_at = datetime.fromisoformat(event["data"]["detected_at"])

    # Care plans: one urgent outreach task for the lead, and the visit to rebook.
    careplans = lead.client("careplans")
    outreach = eventually(lambda: ok(careplans.get("/tasks", params={"patient_id": patient.id,
                                                                    "code": "outreach"}))["items"],
                          message="the outreach task")
    assert len(outreach) == 1
    task = outreach[0]
    assert (task["priority"], task["owner_id"], task["status"], task["focus_id"]) == (
        "urgent", lead.id, "requested", appointment["id"])
    assert abs(datetime.fromisoformat(task["due_at"]) - (detected_at + timedelta(hours=24))) < timedelta(minutes=1)

    def back_to_rebook():
        current = ok(careplans.get(f"/care-plans/{plan['id']}"))
        follow_up = next(a for a in current["activities"] if a["id"] == activity["id"])
        assert (follow_up["status"], follow_up["status_reason"]) == ("not-started", "missed-appointment")
        return [r for r in world.booking_requests(lead, patient) if r["plan_activity_id"] == activity["id"]]

    assert len(eventually(back_to_rebook, message="the visit back on the to-book list")) == 1

    # Notifications: urgent to the lead and the nurse, routine to the patient and daughter.
    def everyone_told():
        history = notifications(stack, patient.id, event_type=MISSED)
        assert {n["recipient_id"] for n in history} == {lead.id, nurse.id, patient.id, daughter["id"]}, history
        assert all(n["source_event_id"] == event["id"] and n["escalation_level"] == 0 for n in history)
        for n in history:
            assert channels(n) == {"inapp": "sent", "email": "sent"}, n
        return history

    history = eventually(everyone_told, message="the missed appointment to be told")
    by_recipient = {n["recipient_id"]: n for n in history}
    assert by_recipient[lead.id]["urgency"] == by_recipient[nurse.id]["urgency"] == "urgent"
    assert by_recipient[lead.id]["needs_acknowledgement"] and by_recipient[nurse.id]["needs_acknowledgement"]
    assert by_recipient[patient.id]["urgency"] == "routine"
    assert "rebook" in by_recipient[patient.id]["body"].lower()
    assert told(notifications(stack, patient.id, event_type="careplans.task-assigned"), "careplans.task-assigned",
                lead.id), "the lead hears about the outreach task"
    assert [m["Subject"] for m in mail_to(stack, nurse.email)] == ["Urgent CareBridge notification"]

    # Nobody acknowledges: the escalation goes to the team members not told yet.
    escalations = ok(lead.client("notifications").get("/escalations", params={"patient_id": patient.id}))["items"]
    assert [(e["source_event_id"], e["status"], e["level"]) for e in escalations] == [(event["id"], "open", 0)]
    escalation_id = escalations[0]["id"]
    stack.advance(minutes=ESCALATION_AFTER_MINUTES + 1)

    def escalated():
        current = ok(lead.client("notifications").get(f"/escalations/{escalation_id}"))
        assert current["level"] == 1 and current["steps"], current
        return current

    current = eventually(escalated, message="the escalation")
    # The lead and the nurse were told already: the rest of the team hears (issue 25, item 7).
    assert sorted((s["level"], s["audience"], s["recipient_id"]) for s in current["steps"]) == sorted(
        [(1, "care-team-others", physician.id), (1, "care-team-others", cardiologist.id)])
    assert current["care_team_id"] == patient.team["id"]
    step = next(s for s in current["steps"] if s["recipient_id"] == physician.id)
    inbox = ok(physician.client("notifications").get("/inbox", params={"urgent_only": True, "page_size": 100}))["items"]
    escalation_notice = next(n for n in inbox if n["id"] == step["notification_id"])
    assert escalation_notice["escalation_level"] == 1 and escalation_notice["title"].startswith("Not acknowledged")

    # The physician acknowledges: it stops there.
    ok(physician.client("notifications").post(f"/inbox/{escalation_notice['id']}/acknowledge"))
    acknowledged = ok(lead.client("notifications").get(f"/escalations/{escalation_id}"))
    assert (acknowledged["status"], acknowledged["acknowledged_by"]) == ("acknowledged", physician.id)
    stack.advance(minutes=ESCALATION_AFTER_MINUTES + 1)
    stack.wait_for_job_runs("notifications", "escalate-unacknowledged")
    assert ok(lead.client("notifications").get(f"/escalations/{escalation_id}"))["level"] == 1
    assert len(outbox(stack, "scheduling", MISSED, appointment_id=appointment["id"])) == 1
