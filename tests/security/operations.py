"""For every patient-scoped operation of every service (the ones its OpenAPI
document marks `x-patient-scoped`), a request that the right person makes
successfully: who makes it, with which path parameters, query and body.
Operations that use something up (a withdrawal, a status change) get a
fresh one of it first, so that every operation can be tested on its own and
in any order.

The whole-stack security test sends each request with broken tokens, as a
nurse who is not on the patient's care team, and as the right person.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

from support.stack import SERVICES

from .world import MRI, THERAPY, VISIT, SecurityWorld


@dataclass
class Call:
    caller: str = "nurse"                      # who succeeds (a key of SecurityWorld.staff)
    params: dict = field(default_factory=dict)  # path parameters over the world's ids
    query: dict | None = None
    body: dict | None = None
    etag: str | None = None                    # path to read for If-Match (before the change)
    expect: int = 200
    patient_of: Callable | None = None         # the patient the access is about, from the response


def _plain(caller="nurse", **kwargs) -> Callable[[SecurityWorld], Call]:
    return lambda w: Call(caller=caller, **kwargs)


def _patient_query(caller="nurse", **extra):
    return lambda w: Call(caller=caller, query={"patient_id": w.patient.id, **extra})


def _today(w):
    return w.stack.now().date().isoformat()


OPERATIONS: dict[tuple[str, str, str], Callable[[SecurityWorld], Call]] = {
    # -- patients -------------------------------------------------------------
    ("patients", "POST", "/patients"): lambda w: Call(caller="lead", expect=201, body={
        "mrn": f"SEC-{uuid.uuid4().hex[:16]}", "given_name": "Bea",
        "family_name": f"Newcomer{w.world.tag}", "birth_date": "1970-02-03", "administrative_sex": "female",
        "time_zone": "UTC"}, patient_of=lambda response: response.json()["id"]),
    ("patients", "GET", "/patients/{patient_id}"): _plain(),
    ("patients", "PATCH", "/patients/{patient_id}"): lambda w: Call(
        body={"preferred_name": "Annie"}, etag="/patients/{patient_id}"),
    ("patients", "PUT", "/patients/{patient_id}/status"): lambda w: Call(
        caller="physician", body={"status": "active"}, etag="/patients/{patient_id}"),
    ("patients", "GET", "/patients/{patient_id}/chart"): _plain(),
    ("patients", "GET", "/patients/{patient_id}/related-persons"): _plain(),
    ("patients", "POST", "/patients/{patient_id}/related-persons"): _plain(expect=201, body={
        "given_name": "Sam", "family_name": "Neighbour", "relationship": "friend",
        "consent": {"appointments": False, "care_plan": False, "billing": False}}),
    ("patients", "GET", "/patients/{patient_id}/related-persons/{person_id}"): _plain(),
    ("patients", "PATCH", "/patients/{patient_id}/related-persons/{person_id}"): lambda w: Call(
        body={"preferred_language": "en"}, etag="/patients/{patient_id}/related-persons/{person_id}"),
    ("patients", "PUT", "/patients/{patient_id}/related-persons/{person_id}/consent"): lambda w: Call(
        body={"appointments": True, "care_plan": True, "billing": True},
        etag="/patients/{patient_id}/related-persons/{person_id}"),
    ("patients", "POST", "/patients/{patient_id}/related-persons/{person_id}/consent-withdrawal"): lambda w: Call(
        params={"person_id": w.fresh_related_person()["id"]}),
    ("patients", "GET", "/patients/{patient_id}/allergies"): _plain(),
    ("patients", "POST", "/patients/{patient_id}/allergies"): _plain(expect=201, body={
        "substance_system": "other", "substance_code": "bee-venom", "substance_name": "bee venom",
        "category": "environment", "criticality": "low", "clinical_status": "active"}),
    ("patients", "GET", "/patients/{patient_id}/allergies/{allergy_id}"): _plain(),
    ("patients", "PATCH", "/patients/{patient_id}/allergies/{allergy_id}"): lambda w: Call(
        body={"reaction": "itchy rash"}, etag="/patients/{patient_id}/allergies/{allergy_id}"),
    ("patients", "POST", "/care-teams"): lambda w: Call(caller="lead", expect=201, body={
        "patient_id": w.patient.id, "name": "Home care", "status": "proposed", "members": []}),
    ("patients", "GET", "/care-teams/{team_id}"): _plain(),
    ("patients", "PATCH", "/care-teams/{team_id}"): lambda w: Call(
        caller="lead", body={"category": "heart-failure"}, etag="/care-teams/{team_id}"),
    ("patients", "GET", "/patients/{patient_id}/care-teams"): _plain(),
    ("patients", "POST", "/care-teams/{team_id}/members"): lambda w: Call(
        caller="lead", expect=201, body={"practitioner_id": w.world.practitioner("pharmacist").id,
                                         "role": "pharmacist"}),
    ("patients", "GET", "/care-teams/{team_id}/members/{membership_id}"): _plain(),
    ("patients", "PATCH", "/care-teams/{team_id}/members/{membership_id}"): lambda w: (
        lambda member: Call(caller="lead", params={"membership_id": member["id"]},
                            body={"period_end": (w.stack.now() + timedelta(days=30)).isoformat()},
                            etag=f"/care-teams/{{team_id}}/members/{member['id']}"))(w.fresh_member()),

    # -- careplans ------------------------------------------------------------
    ("careplans", "POST", "/care-plans"): lambda w: Call(expect=201, body={
        "patient_id": w.patient.id, "care_team_id": w.ids["team_id"], "title": "Sleep", "status": "draft",
        "period": {"start": _today(w)}, "activities": [{"kind": "education", "education": {"topic": "Sleep"}}]}),
    ("careplans", "POST", "/care-plans/from-template"): lambda w: Call(expect=201, body={
        "template_code": "type-2-diabetes-new-diagnosis", "patient_id": w.patient.id,
        "care_team_id": w.ids["team_id"], "leave_out": ["metformin", "atorvastatin"]}),
    ("careplans", "GET", "/care-plans/{plan_id}"): _plain(),
    ("careplans", "PATCH", "/care-plans/{plan_id}"): lambda w: Call(
        body={"reason": "asked for reading material", "activities": [
            {"kind": "education", "education": {"topic": "Reading food labels for salt"}}]},
        etag="/care-plans/{plan_id}"),
    ("careplans", "PUT", "/care-plans/{plan_id}/status"): lambda w: (lambda plan: Call(
        params={"plan_id": plan["id"]}, body={"status": "active", "reason": "agreed with the patient"},
        etag=f"/care-plans/{plan['id']}"))(w.fresh_plan()),
    ("careplans", "GET", "/care-plans/{plan_id}/versions"): _plain(),
    ("careplans", "GET", "/care-plans/{plan_id}/versions/{version}"): _plain(),
    ("careplans", "GET", "/care-plans/{plan_id}/diff"): _plain(query={"from": 1, "to": 2}),
    ("careplans", "GET", "/care-plans/{plan_id}/summary"): _plain(),
    ("careplans", "GET", "/care-plans/{plan_id}/summary.html"): _plain(),
    ("careplans", "POST", "/care-plans/{plan_id}/summary/send"): lambda w: Call(
        expect=202, body={"include_family": False}),
    ("careplans", "GET", "/hospital-stays"): _patient_query(),
    ("careplans", "POST", "/hospital-stays"): lambda w: Call(expect=201, body={
        "patient_id": w.patient.id, "facility": "Riverside General Hospital",
        "admitted_at": (w.stack.now() - timedelta(days=2)).isoformat()}),
    ("careplans", "GET", "/hospital-stays/{stay_id}"): _plain(),
    ("careplans", "POST", "/hospital-stays/{stay_id}/discharge"): lambda w: Call(
        params={"stay_id": w.fresh_hospital_stay()["id"]},
        body={"discharged_at": w.stack.now().isoformat(), "discharge_disposition": "home"}),
    ("careplans", "GET", "/medication-alerts/{alert_id}"): _plain(),
    ("careplans", "POST", "/tasks"): lambda w: Call(expect=201, body={
        "patient_id": w.patient.id, "code": "general", "reason": "Ask about side effects",
        "owner_id": w.staff["nurse"].id}),
    ("careplans", "GET", "/tasks/{task_id}"): _plain(),
    ("careplans", "PATCH", "/tasks/{task_id}"): lambda w: Call(
        body={"note": "Left a voicemail"}, etag="/tasks/{task_id}"),
    ("careplans", "PUT", "/tasks/{task_id}/owner"): lambda w: Call(
        body={"owner_id": w.staff["lead"].id, "reason": "coordinator follows up"}, etag="/tasks/{task_id}"),
    ("careplans", "GET", "/tasks/{task_id}/history"): _plain(),
    ("careplans", "GET", "/adherence/doses"): _patient_query(),
    ("careplans", "POST", "/adherence/doses"): lambda w: Call(expect=201, body={
        "activity_id": w.ids["metoprolol_activity_id"], "outcome": "taken",
        "scheduled_for": w.stack.now().replace(hour=8, minute=0, second=0, microsecond=0).isoformat(),
        "reported_by": "staff"}),
    ("careplans", "GET", "/adherence/summary"): _patient_query(),
    ("careplans", "GET", "/check-ins"): _patient_query(),
    ("careplans", "POST", "/check-ins"): lambda w: Call(expect=201, body={
        "patient_id": w.patient.id, "plan_id": w.ids["plan_id"], "context": "routine", "contact_method": "phone",
        "reached": False}),
    ("careplans", "GET", "/check-ins/{check_in_id}"): _plain(),

    # -- scheduling -----------------------------------------------------------
    ("scheduling", "POST", "/appointments"): lambda w: Call(expect=201, body={
        "patient_id": w.patient.id, "practitioner_id": w.staff["cardiologist"].id, "appointment_type_code": VISIT,
        "start": w.next_slot().isoformat()}),
    ("scheduling", "POST", "/appointments/recurring"): lambda w: (lambda first: Call(expect=201, body={
        "patient_id": w.patient.id, "practitioner_id": w.staff["cardiologist"].id, "appointment_type_code": THERAPY,
        "first_day": first.date().isoformat(), "weeks": 1, "time_zone": "UTC",
        "sessions": [{"weekday": first.strftime("%A").lower(), "at": first.strftime("%H:%M")}]}))(w.next_slot()),
    ("scheduling", "GET", "/appointments/{appointment_id}"): _plain(),
    ("scheduling", "PATCH", "/appointments/{appointment_id}"): lambda w: (lambda appointment: Call(
        params={"appointment_id": appointment["id"]}, body={"start": w.next_slot().isoformat()},
        etag=f"/appointments/{appointment['id']}"))(w.fresh_appointment()),
    ("scheduling", "PUT", "/appointments/{appointment_id}/status"): lambda w: (lambda appointment: Call(
        params={"appointment_id": appointment["id"]}, body={"status": "cancelled", "reason_code": "patient-request"},
        etag=f"/appointments/{appointment['id']}"))(w.fresh_appointment()),
    ("scheduling", "POST", "/waitlist"): lambda w: (lambda around: Call(expect=201, body={
        "patient_id": w.patient.id, "practitioner_id": w.staff["cardiologist"].id, "appointment_type_code": VISIT,
        "not_before": (around - timedelta(minutes=1)).isoformat(),
        "wanted_before": (around + timedelta(minutes=1)).isoformat()}))(w.next_slot()),
    ("scheduling", "GET", "/waitlist/{entry_id}"): _plain(),
    ("scheduling", "POST", "/waitlist/{entry_id}/accept"): lambda w: Call(
        params={"entry_id": w.offered_waitlist_entry()["id"]}),
    ("scheduling", "POST", "/waitlist/{entry_id}/decline"): lambda w: Call(
        params={"entry_id": w.offered_waitlist_entry()["id"]}),
    ("scheduling", "POST", "/waitlist/{entry_id}/withdraw"): lambda w: Call(
        params={"entry_id": w.fresh_waitlist_entry()["id"]}),
    ("scheduling", "GET", "/booking-requests/{request_id}"): _plain(),

    # -- monitoring -----------------------------------------------------------
    ("monitoring", "POST", "/enrolments"): lambda w: Call(expect=201, body={
        "patient_id": w.patient.id, "condition": "general", "measures": ["heart-rate"],
        "device": {"kind": "wristband", "serial": f"SEC-HR-{uuid.uuid4().hex[:12]}"}, "consent_date": _today(w)}),
    ("monitoring", "GET", "/enrolments/{enrolment_id}"): _plain(),
    ("monitoring", "PUT", "/enrolments/{enrolment_id}/limits"): lambda w: Call(
        body={"limits": {"temperature": {"high": 38.2, "critical_high": 39.6}}}, etag="/enrolments/{enrolment_id}"),
    ("monitoring", "POST", "/enrolments/{enrolment_id}/end"): lambda w: (lambda enrolment: Call(
        params={"enrolment_id": enrolment["id"]}, body={"reason": "goals-met"},
        etag=f"/enrolments/{enrolment['id']}"))(w.fresh_enrolment()),
    ("monitoring", "GET", "/readings"): _patient_query(),
    ("monitoring", "POST", "/readings"): lambda w: Call(expect=201, body={
        "patient_id": w.patient.id, "measure": "temperature", "value": 37.1, "unit": "Cel",
        "taken_at": w.stack.now().isoformat()}),
    ("monitoring", "GET", "/alerts/{alert_id}"): lambda w: Call(params={"alert_id": w.ids["monitoring_alert_id"]}),
    ("monitoring", "POST", "/alerts/{alert_id}/actions"): lambda w: (lambda alert_id: Call(
        params={"alert_id": alert_id}, body={"action_code": "advice-given", "minutes": 5},
        etag=f"/alerts/{alert_id}"))(w.fresh_monitoring_alert()),
    ("monitoring", "GET", "/monitoring-time"): _patient_query(),
    ("monitoring", "POST", "/monitoring-time"): lambda w: Call(expect=201, body={
        "patient_id": w.patient.id, "activity": "review", "minutes": 5,
        "performed_at": (w.stack.now() - timedelta(minutes=1)).isoformat()}),
    ("monitoring", "GET", "/triage-calls"): _patient_query(),
    ("monitoring", "POST", "/triage-calls"): lambda w: Call(expect=201, body={
        "patient_id": w.patient.id, "caller_type": "family", "protocol_code": "medication-question",
        "called_at": w.stack.now().isoformat(), "answers": {
            "overdose-or-wrong-person": False, "possible-side-effect": False, "ran-out-of-critical": False}}),
    ("monitoring", "GET", "/triage-calls/{call_id}"): _plain(),

    # -- billing --------------------------------------------------------------
    ("billing", "POST", "/coverages"): lambda w: Call(caller="biller", expect=201, body={
        "patient_id": w.patient.id, "payer_id": "bluestone-mutual", "plan_id": "BSM-GOLD",
        "member_id": f"BSM-{w.world.tag}", "order": "secondary",
        "effective_start": (w.stack.now().date() - timedelta(days=30)).isoformat(), "coinsurance_percent": 10,
        "copays": {}, "deductible": {"amount": "250.00", "currency": "USD"},
        "out_of_pocket_max": {"amount": "2000.00", "currency": "USD"}}),
    ("billing", "GET", "/coverages/summary"): _patient_query(),
    ("billing", "GET", "/billing-overview"): _patient_query(),
    ("billing", "GET", "/coverages/{coverage_id}"): _plain(caller="biller"),
    ("billing", "PATCH", "/coverages/{coverage_id}"): lambda w: Call(
        caller="biller", body={"group_id": "GRP-100"}, etag="/coverages/{coverage_id}"),
    ("billing", "POST", "/coverages/{coverage_id}/eligibility-checks"): _plain(caller="biller", expect=201, body={}),
    ("billing", "POST", "/estimates"): lambda w: Call(expect=201, body={
        "patient_id": w.patient.id, "appointment_type_code": MRI}),
    ("billing", "GET", "/estimates/{estimate_id}"): _plain(),
    ("billing", "POST", "/estimates/{estimate_id}/send"): lambda w: Call(
        params={"estimate_id": w.fresh_estimate()["id"]}, expect=202, body={"include_family": False}),
    ("billing", "GET", "/charges/{charge_id}"): _plain(caller="biller"),
    ("billing", "POST", "/claims"): lambda w: Call(caller="biller", expect=201,
                                                    body={"charge_id": w.ids["self_pay_charge_id"]}),
    ("billing", "GET", "/claims/{claim_id}"): _plain(caller="biller"),
    ("billing", "POST", "/claims/{claim_id}/submit"): lambda w: Call(caller="biller", etag="/claims/{claim_id}"),
    ("billing", "POST", "/claims/{claim_id}/appeal"): lambda w: Call(
        caller="biller", params={"claim_id": w.ids["denied_claim_id"]}, etag=f"/claims/{w.ids['denied_claim_id']}"),
    ("billing", "POST", "/prior-authorizations"): lambda w: Call(caller="biller", expect=201, body={
        "patient_id": w.patient.id, "service_code": "97110"}),
    ("billing", "GET", "/prior-authorizations/{prior_auth_id}"): _plain(caller="biller"),
    ("billing", "POST", "/prior-authorizations/{prior_auth_id}/withdraw"): lambda w: (lambda prior_auth: Call(
        caller="biller", params={"prior_auth_id": prior_auth["id"]},
        etag=f"/prior-authorizations/{prior_auth['id']}"))(w.fresh_prior_auth()),
    ("billing", "POST", "/billing-issues"): lambda w: Call(caller="biller", expect=201, body={
        "patient_id": w.patient.id, "category": "payment-plan", "summary": "Wants to pay in instalments."}),
    ("billing", "GET", "/billing-issues/{issue_id}"): _plain(caller="biller"),
    ("billing", "PATCH", "/billing-issues/{issue_id}"): lambda w: Call(
        caller="biller", body={"status": "in-progress"}, etag="/billing-issues/{issue_id}"),
    ("billing", "POST", "/billing-issues/{issue_id}/notes"): _plain(caller="biller", expect=201,
                                                                    body={"body": "Called the payer."}),

    # -- notifications --------------------------------------------------------
    ("notifications", "GET", "/inbox/{notification_id}"): _plain(),
    ("notifications", "POST", "/inbox/{notification_id}/read"): _plain(),
    ("notifications", "POST", "/inbox/{notification_id}/acknowledge"): _plain(),
    ("notifications", "GET", "/notifications"): _patient_query(),
    ("notifications", "GET", "/notifications/{notification_id}"): _plain(),
    ("notifications", "GET", "/preferences/patients/{patient_id}"): _plain(),
    ("notifications", "PUT", "/preferences/patients/{patient_id}"): lambda w: Call(
        body={"channels": {"appointments": ["email"]}}, etag="/preferences/patients/{patient_id}"),
    ("notifications", "GET", "/preferences/related-persons/{related_person_id}"): _plain(),
    ("notifications", "PUT", "/preferences/related-persons/{related_person_id}"): lambda w: Call(
        body={"channels": {"billing": ["email"]}}, etag="/preferences/related-persons/{related_person_id}"),
    ("notifications", "GET", "/escalations"): _patient_query(),
    ("notifications", "GET", "/escalations/{escalation_id}"): _plain(),
    ("notifications", "GET", "/deliveries/{delivery_id}"): _plain(caller="lead"),
    ("notifications", "POST", "/deliveries/{delivery_id}/retry"): _plain(caller="lead"),
    ("notifications", "GET", "/recipients"): _patient_query(),
}

# FHIR R4 (carebridge.fhir): each patient-scoped resource type read by id
# and searched by patient; a care plan's first version (vread).
FHIR_READS = {
    ("patients", "Patient"): ("nurse", "patient_id"), ("patients", "RelatedPerson"): ("nurse", "person_id"),
    ("patients", "Consent"): ("nurse", "person_id"), ("patients", "CareTeam"): ("nurse", "team_id"),
    ("patients", "AllergyIntolerance"): ("nurse", "allergy_id"),
    ("careplans", "CarePlan"): ("nurse", "plan_id"), ("careplans", "Goal"): ("nurse", "goal_id"),
    ("careplans", "MedicationRequest"): ("nurse", "metoprolol_activity_id"),
    ("careplans", "Task"): ("nurse", "task_id"), ("careplans", "DetectedIssue"): ("nurse", "alert_id"),
    ("scheduling", "Appointment"): ("nurse", "appointment_id"),
    ("billing", "Coverage"): ("biller", "coverage_id"), ("billing", "Claim"): ("biller", "claim_id"),
    ("billing", "ClaimResponse"): ("biller", "denied_claim_id"),
    ("notifications", "Communication"): ("nurse", "notification_id"),
    ("monitoring", "Observation"): ("nurse", "reading_id"), ("monitoring", "Flag"): ("nurse", "monitoring_alert_id"),
}


def _fhir_read(caller: str, key: str):
    return lambda w: Call(caller=caller, params={"resource_id": w.ids[key]})


def _fhir_search(caller: str, resource_type: str):
    name = "_id" if resource_type == "Patient" else "patient"
    return lambda w: Call(caller=caller, query={name: f"Patient/{w.patient.id}"})


for (_service, _type), (_caller, _key) in FHIR_READS.items():
    OPERATIONS[(_service, "GET", f"/fhir/R4/{_type}/{{resource_id}}")] = _fhir_read(_caller, _key)
    OPERATIONS[(_service, "GET", f"/fhir/R4/{_type}")] = _fhir_search(_caller, _type)
OPERATIONS[("careplans", "GET", "/fhir/R4/CarePlan/{resource_id}/_history/{version_id}")] = lambda w: Call(
    params={"resource_id": w.ids["plan_id"], "version_id": "1"})

# The kit's, on every service: who saw the patient's records (the privacy
# officer's question).
OPERATIONS.update({(service, "GET", "/audit-events"): _patient_query(caller="privacy") for service in SERVICES})

# Lists that span patients (not patient-scoped) but, given ?patient_id=,
# are about that one patient: refused to outsiders, audited as a search.
PATIENT_FILTERED_SEARCHES: dict[tuple[str, str], str] = {
    ("patients", "/care-teams"): "nurse",
    ("careplans", "/care-plans"): "nurse",
    ("careplans", "/medication-alerts"): "nurse",
    ("careplans", "/tasks"): "nurse",
    ("scheduling", "/appointments"): "nurse",
    ("scheduling", "/waitlist"): "nurse",
    ("scheduling", "/booking-requests"): "nurse",
    ("billing", "/coverages"): "biller",
    ("billing", "/estimates"): "nurse",
    ("billing", "/charges"): "biller",
    ("billing", "/claims"): "biller",
    ("billing", "/prior-authorizations"): "biller",
    ("billing", "/billing-issues"): "biller",
    ("monitoring", "/enrolments"): "nurse",
    ("monitoring", "/alerts"): "nurse",
}
