"""One patient with one of everything the patient-scoped endpoints read or
change, built through the APIs: family (one of them with an address that
bounces), allergies, a care team, an active plan with a detected medication
alert and its escalation, a task, a check-in, booked and completed visits,
coverage, an estimate, a self-pay charge, a draft claim, a denied claim and
its prior authorization, a billing issue, a waitlist entry and notifications.
Plus an outsider: a nurse on nobody's care team.
"""
from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from support.api import ok
from support.mail import BOUNCING_DOMAIN
from support.observe import notifications
from support.stack import Stack, eventually
from support.world import Patient, Staff, World, idempotency, if_match, slot_start

VISIT = "cardiology-follow-up"
MRI = "mri-lumbar-spine"
THERAPY = "physical-therapy"


@dataclass
class SecurityWorld:
    stack: Stack
    world: World
    staff: dict[str, Staff]
    patient: Patient
    ids: dict[str, str]
    plan: dict
    base: datetime | None = None
    slots: itertools.count = field(default_factory=lambda: itertools.count(1))
    used: set = field(default_factory=set)

    def next_slot(self):
        """A time nobody has booked, from a week ahead on (no other test books
        this cardiologist): at least an hour (the longest visit) from every
        time handed out before. Asking an hour later each time is not enough
        by itself: slot_start moves a start too late in the day to midnight,
        which can then fall within the hour of the next one."""
        while True:
            start = slot_start(self.base + timedelta(hours=next(self.slots)))
            if all(abs(start - other) >= timedelta(hours=1) for other in self.used):
                self.used.add(start)
                return start

    # -- fresh resources for operations that use one up ----------------------

    def fresh_appointment(self) -> dict:
        return self.world.book(self.staff["lead"], self.patient, self.staff["cardiologist"], VISIT, self.next_slot())

    def fresh_waitlist_entry(self, practitioner: str = "cardiologist", around=None) -> dict:
        """A waiting entry that only a slot at `around` would suit, so that no
        other cancellation is offered to it."""
        around = around or self.next_slot()
        return ok(self.staff["lead"].client("scheduling").post("/waitlist", headers=idempotency(), json={
            "patient_id": self.patient.id, "practitioner_id": self.staff[practitioner].id,
            "appointment_type_code": VISIT, "not_before": (around - timedelta(minutes=1)).isoformat(),
            "wanted_before": (around + timedelta(minutes=1)).isoformat()}), 201)

    def offered_waitlist_entry(self) -> dict:
        """An entry with an open offer: a visit at its slot is cancelled and
        the slot is held for the patient."""
        start = self.next_slot()
        lead = self.staff["lead"]
        appointment = self.world.book(lead, self.patient, self.staff["cardiologist"], VISIT, start)
        entry = self.fresh_waitlist_entry(around=start)
        self.world.set_appointment_status(lead, appointment, "cancelled", reason_code="patient-request")
        offered = ok(lead.client("scheduling").get(f"/waitlist/{entry['id']}"))
        assert offered["status"] == "offered", offered
        return offered

    def fresh_estimate(self) -> dict:
        """An estimate for a day ahead, which may be sent to the patient."""
        return ok(self.staff["nurse"].client("billing").post("/estimates", headers=idempotency(), json={
            "patient_id": self.patient.id, "appointment_type_code": VISIT,
            "service_date": (self.stack.now() + timedelta(days=7)).date().isoformat()}), 201)

    def fresh_plan(self) -> dict:
        return ok(self.staff["nurse"].client("careplans").post("/care-plans", headers=idempotency(), json={
            "patient_id": self.patient.id, "care_team_id": self.ids["team_id"], "title": "Falls prevention",
            "status": "draft", "period": {"start": self.stack.now().date().isoformat()},
            "activities": [{"kind": "education", "education": {"topic": "Preventing falls at home"}}]}), 201)

    def fresh_hospital_stay(self) -> dict:
        """An admission not yet discharged (a discharge is recorded once)."""
        return ok(self.staff["nurse"].client("careplans").post("/hospital-stays", headers=idempotency(), json={
            "patient_id": self.patient.id, "facility": "Riverside General Hospital",
            "admitted_at": (self.stack.now() - timedelta(days=1)).isoformat()}), 201)

    def fresh_member(self) -> dict:
        pharmacist = self.world.practitioner("pharmacist", name=f"pharmacist{uuid.uuid4().hex[:6]}")
        return ok(self.staff["lead"].client("patients").post(
            f"/care-teams/{self.ids['team_id']}/members", headers=idempotency(),
            json={"practitioner_id": pharmacist.id, "role": "pharmacist"}), 201)

    def fresh_related_person(self) -> dict:
        return self.world.related_person(self.staff["lead"], self.patient, "grandchild", email=None,
                                         appointments=True)

    def fresh_enrolment(self, measures=("spo2",)) -> dict:
        """A monitoring enrolment of its own device (ending one uses it up)."""
        return ok(self.staff["nurse"].client("monitoring").post("/enrolments", headers=idempotency(), json={
            "patient_id": self.patient.id, "condition": "general", "measures": list(measures),
            "device": {"kind": "pulse-oximeter", "serial": f"SEC-OX-{uuid.uuid4().hex[:12]}"},
            "consent_date": self.stack.now().date().isoformat()}), 201)

    def fresh_monitoring_alert(self) -> str:
        """An open alert of its own: a critical SpO2 from a new device (closing one uses it up)."""
        enrolment = self.fresh_enrolment()
        gateway = self.stack.client("monitoring", role="device-gateway", subject=f"gateway-{self.world.tag}")
        result = ok(gateway.post("/readings/batches", json={"readings": [{
            "device_serial": enrolment["device"]["serial"], "measure": "spo2", "value": 85, "unit": "%",
            "taken_at": self.stack.now().isoformat()}]}))
        assert len(result["alerts_opened"]) == 1, result
        return result["alerts_opened"][0]

    def fresh_prior_auth(self) -> dict:
        return ok(self.staff["biller"].client("billing").post("/prior-authorizations", headers=idempotency(), json={
            "patient_id": self.patient.id, "service_code": "93306"}), 201)


def build(stack: Stack) -> SecurityWorld:
    world = World(stack)
    lead = world.practitioner("coordinator", name="lead")
    nurse = world.practitioner("nurse")
    physician = world.practitioner("physician")
    cardiologist = world.practitioner("specialist", specialty="cardiology", name="cardiologist")
    biller = world.practitioner("billing", name="biller")
    outsider = world.practitioner("nurse", name="outsider")
    team_members = [lead, nurse, physician, cardiologist]
    patient = world.patient(lead)
    daughter = world.related_person(lead, patient, "daughter", appointments=True, care_plan=True, billing=True)
    son = world.related_person(lead, patient, "son", email=f"son-{world.tag}@{BOUNCING_DOMAIN}", appointments=True)
    team = world.care_team(lead, patient, team_members, lead=lead)
    world.wait_until_known(patient, team_members, clinician=nurse)
    world.open_all_week(lead, cardiologist, [VISIT, THERAPY])
    # A visit type is booked only at a location of its setting (issue 25, item 14): the MRI at the hospital.
    radiologist = world.practitioner("specialist", specialty="radiology", name="radiologist")
    world.open_all_week(lead, radiologist, [MRI], location="riverside-hospital")
    billing = biller.client("billing")

    def visit(code: str, start) -> tuple[dict, dict]:
        appointment = world.book(lead, patient, radiologist if code == MRI else cardiologist, code, start)
        world.set_appointment_status(lead, appointment, "checked-in")
        world.set_appointment_status(lead, appointment, "fulfilled")
        charge = eventually(lambda: next((c for c in ok(billing.get("/charges", params={"patient_id": patient.id}))
                                          ["items"] if c["appointment_id"] == appointment["id"]), None),
                            message=f"the charge of the {code} visit")
        return appointment, charge

    # A visit before any coverage was recorded: a self-pay charge, no claim.
    first = slot_start(stack.now() + timedelta(hours=1))
    _, self_pay = visit(VISIT, first)
    assert self_pay["claim_id"] is None
    coverage = world.coverage(biller, patient)

    # An MRI (prior authorization opened by the booking) whose claim is denied:
    # billing staff override the hold on a claim whose authorization is still
    # requested (issue 23), and the payer denies it.
    mri, mri_charge = visit(MRI, slot_start(first + timedelta(hours=1)))
    denied_claim = ok(billing.get(f"/claims/{mri_charge['claim_id']}"))
    ok(billing.post(f"/claims/{denied_claim['id']}/submit", headers=if_match(billing.get(
        f"/claims/{denied_claim['id']}")), json={"override_reason": "Sent before the authorization, to appeal."}))
    stack.advance(minutes=61)
    eventually(lambda: ok(billing.get(f"/claims/{denied_claim['id']}"))["status"] == "accepted", message="accepted")
    stack.advance(hours=24, minutes=1)
    eventually(lambda: ok(billing.get(f"/claims/{denied_claim['id']}"))["status"] == "denied", message="denied")

    # A visit whose claim is still a draft.
    _, charge = visit(VISIT, slot_start(stack.now() + timedelta(hours=1)))

    # The care plan, its booking request and its booked follow-up.
    plan = world.plan_from_template(physician, patient)
    plan = world.set_plan_status(physician, plan, "active", "discharged")
    follow_up = next(a for a in plan["activities"]
                     if a["kind"] == "follow-up" and a["follow_up"]["appointment_type_code"] == VISIT)
    metoprolol = next(a for a in plan["activities"]
                      if a["kind"] == "medication" and a["medication"]["rxnorm_code"] == "6918")
    request = eventually(lambda: next((r for r in world.booking_requests(lead, patient)
                                       if r["plan_activity_id"] == follow_up["id"]), None), message="to book")
    appointment = world.book(lead, patient, cardiologist, VISIT, slot_start(stack.now() + timedelta(days=3)),
                             care_plan_id=plan["id"], plan_activity_id=follow_up["id"])

    # Allergies: one harmless; one to a drug of the plan, which care plans
    # detects as a contraindication (urgent to the team's nurses: escalated).
    nurse_patients = nurse.client("patients")
    allergy = ok(nurse_patients.post(f"/patients/{patient.id}/allergies", headers=idempotency(), json={
        "substance_system": "other", "substance_code": "latex", "substance_name": "latex", "category": "environment",
        "criticality": "low", "clinical_status": "active"}), 201)
    ok(nurse_patients.post(f"/patients/{patient.id}/allergies", headers=idempotency(), json={
        "substance_system": "rxnorm", "substance_code": "9997", "substance_name": "spironolactone",
        "category": "medication", "criticality": "high", "clinical_status": "active"}), 201)
    alert = eventually(lambda: next((a for a in ok(lead.client("careplans").get("/medication-alerts", params={
        "patient_id": patient.id, "outcome": "detected"}))["items"]), None), message="the detected alert")
    escalation = eventually(lambda: next(iter(ok(lead.client("notifications").get("/escalations", params={
        "patient_id": patient.id}))["items"]), None), message="the escalation")
    urgent = eventually(lambda: next((n for n in ok(nurse.client("notifications").get("/inbox", params={
        "urgent_only": True}))["items"] if n["patient_id"] == patient.id), None), message="the nurse's urgent news")

    task = ok(lead.client("careplans").post("/tasks", headers=idempotency(), json={
        "patient_id": patient.id, "code": "general", "reason": "Call about the new allergy", "owner_id": nurse.id}),
        201)
    check_in = ok(nurse.client("careplans").post("/check-ins", headers=idempotency(), json={
        "patient_id": patient.id, "plan_id": plan["id"], "context": "routine", "contact_method": "phone",
        "reached": True, "overall": "stable"}), 201)
    estimate = ok(nurse.client("billing").post("/estimates", headers=idempotency(), json={
        "patient_id": patient.id, "appointment_type_code": VISIT}), 201)
    issue = ok(billing.post("/billing-issues", headers=idempotency(), json={
        "patient_id": patient.id, "category": "insurance-question", "summary": "Asked why the MRI was denied."}), 201)

    # The son's email bounces: a delivery for operations to send again.
    def bounced():
        for n in notifications(stack, patient.id, recipient_type="related-person"):
            for d in n["deliveries"]:
                if n["recipient_id"] == son["id"] and d["channel"] == "email" and d["status"] == "bounced":
                    return d
        return None

    delivery = eventually(bounced, message="the bounced email")

    # Reads every service's audit trail, no patient's records (not in the
    # staff directory: a privacy officer treats nobody).
    privacy = Staff(stack, str(uuid.uuid4()), "privacy-officer", f"privacy-{world.tag}@staff.example", {})
    security = SecurityWorld(stack, world, {"lead": lead, "nurse": nurse, "physician": physician,
                                            "cardiologist": cardiologist, "biller": biller, "outsider": outsider,
                                            "privacy": privacy},
                             patient, {}, plan)
    security.base = stack.now() + timedelta(days=8)
    entry = security.fresh_waitlist_entry()

    # Remote monitoring: an enrolment (once monitoring knows the patient and
    # the team), an open alert from a gateway's reading, a triage call.
    monitoring = nurse.client("monitoring")
    eventually(lambda: monitoring.get("/enrolments", params={"patient_id": patient.id}).status_code == 200,
               timeout=30, message="monitoring to know the care team")
    eventually(lambda: (response := monitoring.post("/enrolments", json={
        "patient_id": patient.id, "condition": "general", "measures": ["temperature"],
        "device": {"kind": "thermometer", "serial": f"SEC-TH-{world.tag}"},
        "consent_date": stack.now().date().isoformat()})).status_code == 201 or response.status_code == 409,
               timeout=30, message="monitoring to know the patient's time zone")
    enrolment = ok(monitoring.get("/enrolments", params={"patient_id": patient.id}))["items"][0]
    monitoring_alert_id = security.fresh_monitoring_alert()
    reading = ok(monitoring.get("/readings", params={"patient_id": patient.id}))["items"][0]
    triage_call = ok(monitoring.post("/triage-calls", json={
        "patient_id": patient.id, "caller_type": "patient", "protocol_code": "fever",
        "called_at": stack.now().isoformat(), "answers": {
            "stiff-neck-or-rash": False, "confused-or-very-unwell": False, "immunosuppressed": False,
            "over-three-days": False}}), 201)
    security.ids.update({
        "patient_id": patient.id, "person_id": daughter["id"], "related_person_id": daughter["id"],
        "allergy_id": allergy["id"], "team_id": team["id"], "membership_id": team["members"][1]["id"],
        "plan_id": plan["id"], "version": "1", "alert_id": alert["id"], "task_id": task["id"],
        "check_in_id": check_in["id"], "appointment_id": appointment["id"], "entry_id": entry["id"],
        "request_id": request["id"], "coverage_id": coverage["id"], "estimate_id": estimate["id"],
        "charge_id": charge["id"], "claim_id": charge["claim_id"], "denied_claim_id": denied_claim["id"],
        "self_pay_charge_id": self_pay["id"], "prior_auth_id": denied_claim["prior_auth_id"],
        "issue_id": issue["id"], "notification_id": urgent["id"], "escalation_id": escalation["id"],
        "delivery_id": delivery["id"], "metoprolol_activity_id": metoprolol["id"], "mri_id": mri["id"],
        "enrolment_id": enrolment["id"], "monitoring_alert_id": monitoring_alert_id, "reading_id": reading["id"],
        "call_id": triage_call["id"],
        "goal_id": plan["goals"][0]["id"], "stay_id": security.fresh_hospital_stay()["id"],
    })
    assert all(security.ids.values()), security.ids
    return security
