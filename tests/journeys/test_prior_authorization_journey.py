"""Journey 4: booking a lumbar-spine MRI for a patient whose plan (Acme
Health PPO 2026) needs prior authorization opens the request with the
(simulated) payer and tells billing staff; the payer pends it, then approves
it 48 hours later, and each decision reaches the care team and the patient
(not the daughter, who has not consented to hear about billing). After the
visit the claim carries the authorization, and the payer denies it (CARC 50,
medical necessity): billing staff are told, and the patient gets the
outcome in plain words.
"""
from datetime import date, timedelta

from support.api import ok
from support.observe import channels, notifications, outbox
from support.stack import eventually
from support.world import if_match, slot_start

MRI = "mri-lumbar-spine"
MRI_CODE = "72148"
DECIDED = "billing.prior-auth-decided"


def test_mri_prior_authorization_pends_then_approves_and_its_claim_is_denied(stack, world):
    coordinator = world.practitioner("coordinator")
    nurse = world.practitioner("nurse")
    physician = world.practitioner("physician")
    radiologist = world.practitioner("specialist", specialty="radiology", name="radiologist")
    biller = world.practitioner("billing", name="biller")
    team = [coordinator, nurse, physician]
    patient = world.patient(coordinator)
    daughter = world.related_person(coordinator, patient, "daughter", appointments=True)
    world.care_team(coordinator, patient, team)
    world.wait_until_known(patient, team, clinician=nurse)
    coverage = world.coverage(biller, patient)
    world.open_all_week(coordinator, radiologist, [MRI], location="riverside-hospital")
    billing = biller.client("billing")

    start = slot_start(stack.now() + timedelta(days=3))
    appointment = world.book(coordinator, patient, radiologist, MRI, start)
    assert appointment["service_code"] == MRI_CODE

    # The booking opens a prior authorization request, sent to the payer at once.
    def the_request():
        items = ok(billing.get("/prior-authorizations", params={"patient_id": patient.id}))["items"]
        assert len(items) == 1 and items[0]["submitted_at"], items
        return items[0]

    request = eventually(the_request, message="the prior authorization request")
    assert (request["service_code"], request["coverage_id"], request["payer_id"], request["plan_id"]) == (
        MRI_CODE, coverage["id"], "acme-health", "ACME-PPO-2026")
    assert (request["status"], request["requested_units"], request["units_reserved"]) == ("requested", 1, 1)
    assert [(a["appointment_id"], a["state"]) for a in request["allocations"]] == [(appointment["id"], "reserved")]
    requested = outbox(stack, "billing", "billing.prior-auth-requested", prior_auth_id=request["id"])
    assert [e["data"]["appointment_id"] for e in requested] == [appointment["id"]]

    def biller_told(event_type: str, event_id: str):
        inbox = ok(biller.client("notifications").get("/inbox", params={"page_size": 100}))["items"]
        return [n for n in inbox if n["source_event_type"] == event_type and n["source_event_id"] == event_id]

    eventually(lambda: biller_told("billing.prior-auth-requested", requested[0]["id"]),
               message="billing staff to hear of the request")

    # The payer pends it (the status is asked for after the poll interval) ...
    def decision(status: str):
        current = ok(billing.get(f"/prior-authorizations/{request['id']}"))
        assert current["status"] == status, current["status"]
        return current

    stack.advance(minutes=31)
    eventually(lambda: decision("pended"), message="the payer to pend the request")
    # ... and approves it two days after it reached the payer.
    stack.advance(hours=48)
    approved = eventually(lambda: decision("approved"), message="the payer to approve the request")
    assert approved["authorized_units"] == 1
    assert date.fromisoformat(approved["expires_on"]) > start.date()

    decisions = outbox(stack, "billing", DECIDED, prior_auth_id=request["id"])
    assert [e["data"]["status"] for e in decisions] == ["pended", "approved"]

    def everyone_told():
        history = notifications(stack, patient.id, event_type=DECIDED)
        for event in decisions:
            told = {n["recipient_id"]: n for n in history if n["source_event_id"] == event["id"]}
            assert set(told) == {coordinator.id, nurse.id, physician.id, patient.id}, (event["data"]["status"], told)
            assert channels(told[patient.id]) == {"inapp": "sent", "email": "sent"}
            assert all(channels(n)["inapp"] == "sent" for n in told.values())
        return history

    history = eventually(everyone_told, message="the decisions to reach the care team and the patient")
    assert daughter["id"] not in {n["recipient_id"] for n in history}

    # The visit: the authorization's unit is used, the claim carries it.
    stack.advance_to(start + timedelta(minutes=1))
    world.set_appointment_status(coordinator, appointment, "checked-in")
    stack.advance(minutes=60)
    # The radiologist is not on the care team: the front desk records the visit.
    world.set_appointment_status(coordinator, appointment, "fulfilled")
    charge = eventually(lambda: ok(billing.get("/charges", params={"patient_id": patient.id}))["items"],
                        message="the charge")[0]
    assert (charge["service_code"], charge["prior_auth_id"]) == (MRI_CODE, request["id"])
    used = ok(billing.get(f"/prior-authorizations/{request['id']}"))
    assert (used["units_used"], used["units_reserved"]) == (1, 0)
    claim = ok(billing.get(f"/claims/{charge['claim_id']}"))
    assert (claim["status"], claim["prior_auth_id"], claim["coverage_id"]) == ("draft", request["id"], coverage["id"])

    submitted = ok(billing.post(f"/claims/{claim['id']}/submit", headers=if_match(billing.get(f"/claims/{claim['id']}"))))
    assert submitted["status"] == "submitted"
    stack.advance(minutes=61)
    eventually(lambda: ok(billing.get(f"/claims/{claim['id']}"))["status"] == "accepted", message="acceptance")
    stack.advance(hours=24, minutes=1)
    denied = eventually(lambda: (c := ok(billing.get(f"/claims/{claim['id']}")))["status"] == "denied" and c,
                        message="the denial")
    assert [r["code"] for r in denied["reasons"]] == ["50"]
    assert denied["history"][-1]["reason_codes"] == ["50"]

    denials = outbox(stack, "billing", "billing.claim-denied", claim_id=claim["id"])
    assert [e["data"]["reason_codes"] for e in denials] == [["50"]]
    notice = eventually(lambda: biller_told("billing.claim-denied", denials[0]["id"]),
                        message="billing staff to hear of the denial")
    assert len(notice) == 1 and "50" in notice[0]["body"]
    # Billing staff work the denial; the patient reads its outcome in plain words (issue 19); the care team
    # is not told, nor the daughter, who has not consented to billing news.
    denial_history = eventually(lambda: notifications(stack, patient.id, event_type="billing.claim-denied"),
                                message="the denial's notifications")
    assert {n["recipient_id"] for n in denial_history}.isdisjoint({coordinator.id, nurse.id, physician.id,
                                                                   daughter["id"]})
    assert eventually(lambda: patient.id in {n["recipient_id"] for n in notifications(
        stack, patient.id, event_type="billing.claim-denied")}, message="the patient told of the denial")
