"""Journey 1: a coordinator registers a patient with a daughter who may be
told about appointments (and nothing else), builds a care team
(coordinator, nurse, physician, cardiologist; a nurse who left the team
stays on record with her membership ended) and instantiates a heart-failure
plan. Potassium chloride, added on top of the template's spironolactone, is a
major interaction: refused without an override, refused when a coordinator
tries to override it, accepted when the physician overrides it with a
reason. Every version of the plan reaches every active team member's inbox
and email; the activated plan reaches the patient; the daughter and the nurse
who left hear nothing.
"""
from support.api import ok
from support.observe import channels, mail_text, mail_to, notifications, outbox
from support.stack import eventually
from support.world import if_match

POTASSIUM_CHLORIDE = "8591"
SPIRONOLACTONE = "9997"


def potassium(prescriber_id: str) -> dict:
    return {"kind": "medication", "medication": {
        "name": "potassium chloride", "rxnorm_code": POTASSIUM_CHLORIDE, "dose": "20 mEq", "route": "oral",
        "frequency": "once-daily", "purpose": "keeps your potassium up", "prescriber_id": prescriber_id}}


def test_heart_failure_plan_with_an_overridden_interaction_reaches_the_team_and_not_the_daughter(stack, world):
    coordinator = world.practitioner("coordinator")
    nurse = world.practitioner("nurse")
    physician = world.practitioner("physician")
    cardiologist = world.practitioner("specialist", specialty="cardiology", name="cardiologist")
    former_nurse = world.practitioner("nurse", name="formernurse")
    team_members = [coordinator, nurse, physician, cardiologist]

    patient = world.patient(coordinator)
    daughter = world.related_person(coordinator, patient, "daughter", appointments=True)
    team = world.care_team(coordinator, patient, team_members + [former_nurse])
    membership = next(m for m in team["members"] if m["practitioner_id"] == former_nurse.id)
    members = coordinator.client("patients")
    current = members.get(f"/care-teams/{team['id']}/members/{membership['id']}")
    ended = ok(members.patch(f"/care-teams/{team['id']}/members/{membership['id']}",
                             json={"period_end": stack.now().isoformat()}, headers=if_match(current)))
    assert ended["active"] is False

    world.wait_until_known(patient, team_members, clinician=physician)
    for person in team_members + [former_nurse]:
        world.email_preferences(person, care_plan=["email"])

    def former_nurse_gone():
        items = ok(world.admin("notifications", "coordinator").get(
            "/recipients", params={"patient_id": patient.id}))["items"]
        return former_nurse.id not in {i["recipient_id"] for i in items}

    eventually(former_nurse_gone, message="notifications to know the nurse left the team")

    plan = world.plan_from_template(coordinator, patient)
    assert plan["status"] == "draft" and plan["version"] == 1
    spironolactone = next(a for a in plan["activities"]
                          if a["kind"] == "medication" and a["medication"]["rxnorm_code"] == SPIRONOLACTONE)
    path = f"/care-plans/{plan['id']}"

    # Without an override, the interaction refuses the change and names it.
    refused = coordinator.client("careplans").patch(path, headers={"If-Match": '"1"'}, json={
        "activities": [potassium(physician.id)], "reason": "potassium 3.1 mmol/L"})
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert problem["type"].endswith("medication-safety")
    blocking = [f for f in problem["findings"] if f["blocking"]]
    assert [(f["kind"], f["severity"], sorted(f["rxnorm_codes"]), f["interacting_activity_id"]) for f in blocking] == [
        ("drug-interaction", "major", sorted([POTASSIUM_CHLORIDE, SPIRONOLACTONE]), spironolactone["id"])]

    # A coordinator may not override a medication safety finding.
    overridden_by_coordinator = coordinator.client("careplans").patch(path, headers={"If-Match": '"1"'}, json={
        "activities": [potassium(physician.id)], "reason": "potassium 3.1 mmol/L",
        "medication_override": {"reason": "low potassium"}})
    assert overridden_by_coordinator.status_code == 403, overridden_by_coordinator.text
    unchanged = ok(coordinator.client("careplans").get(path))
    assert unchanged["version"] == 1
    assert POTASSIUM_CHLORIDE not in [a["medication"]["rxnorm_code"] for a in unchanged["activities"]
                                      if a["kind"] == "medication"]

    # The physician overrides it, with a reason.
    revised = ok(physician.client("careplans").patch(path, headers={"If-Match": '"1"'}, json={
        "activities": [potassium(physician.id)], "reason": "potassium 3.1 mmol/L",
        "medication_override": {"reason": "potassium 3.1 mmol/L; recheck in 3 days"}}))
    assert revised["version"] == 2
    added = next(a for a in revised["activities"]
                 if a["kind"] == "medication" and a["medication"]["rxnorm_code"] == POTASSIUM_CHLORIDE)
    alerts = ok(coordinator.client("careplans").get("/medication-alerts", params={"plan_id": plan["id"],
                                                                                 "page_size": 100}))["items"]
    major = [a for a in alerts if a["severity"] == "major" and a["interacting_activity_id"] == spironolactone["id"]]
    assert sorted((a["plan_version"], a["outcome"]) for a in major) == [(1, "blocked"), (2, "overridden")]
    assert next(a for a in major if a["outcome"] == "overridden")["overridden_by"] == physician.id
    assert next(a for a in major if a["outcome"] == "overridden")["activity_id"] == added["id"]

    active = world.set_plan_status(physician, revised, "active", "discharged home today")
    assert active["status"] == "active" and active["version"] == 3

    # One plan-updated per version, the activation telling the patient too.
    updates = eventually(lambda: len(events := outbox(stack, "careplans", "careplans.plan-updated",
                                                      plan_id=plan["id"])) == 3 and events,
                         message="three plan-updated events")
    assert [(e["data"]["version"], e["data"]["patient_facing"]) for e in updates] == [
        (1, False), (2, False), (3, True)]
    update_ids = {e["id"] for e in updates}

    def everyone_told():
        history = notifications(stack, patient.id, event_type="careplans.plan-updated")
        by_person = {}
        for n in history:
            by_person.setdefault(n["recipient_id"], []).append(n)
        for person in team_members:
            received = by_person.get(person.id, [])
            assert {n["source_event_id"] for n in received} == update_ids, f"{person.role} got {len(received)}"
            assert all(channels(n) == {"inapp": "sent", "email": "sent"} for n in received), received
        patient_told = by_person.get(patient.id, [])
        assert [n["source_event_id"] for n in patient_told] == [updates[2]["id"]]
        assert channels(patient_told[0]) == {"inapp": "sent", "email": "sent"}
        return history

    history = eventually(everyone_told, timeout=30, message="every team member and the patient to be told")
    assert len(history) == 3 * len(team_members) + 1, "nobody else is told about the plan"
    assert {n["recipient_id"] for n in history}.isdisjoint({daughter["id"], former_nurse.id})

    # Each member's own inbox holds the three updates.
    for person in team_members:
        inbox = ok(person.client("notifications").get("/inbox", params={"page_size": 100}))["items"]
        assert {n["source_event_id"] for n in inbox if n["source_event_type"] == "careplans.plan-updated"} == update_ids

    # Email: one message per notification sent by email, and nothing more,
    # once the sender has had every chance to send anything else.
    stack.wait_for_job_runs("notifications", "send-deliveries")
    for person in team_members:
        assert len(mail_to(stack, person.email)) == 3, person.role
    assert len(mail_to(stack, patient.email)) == 1
    assert mail_to(stack, daughter["email"]) == []
    assert mail_to(stack, former_nurse.email) == []
    assert notifications(stack, patient.id, recipient_type="related-person") == []

    # Email only points to the inbox: no name, MRN or medicine in it.
    for message in mail_to(stack, patient.email) + mail_to(stack, physician.email):
        text = mail_text(message)
        for secret in (patient.record["family_name"], patient.record["mrn"], "potassium", "spironolactone"):
            assert secret.lower() not in text.lower(), f"{secret!r} leaked into an email"
