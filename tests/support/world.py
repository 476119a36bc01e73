"""Building the people and records a test needs, only through the services'
HTTP APIs, as the staff apps would: practitioners in the directory, a
patient with family, a care team, schedules, coverage, care plans,
appointments.

Every test builds its own (`World(stack)`): names, MRNs, member ids and
email addresses carry a tag of its own, so tests never see each other's
data and can run in any order.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from .api import Client, ok
from .stack import Stack, eventually

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# Staff roles (the patients service's directory) and the token role they sign in with.
TOKEN_ROLE = {"coordinator": "coordinator", "nurse": "nurse", "physician": "physician",
              "specialist": "specialist", "billing": "billing", "privacy-officer": "privacy-officer"}


@dataclass
class Staff:
    stack: Stack
    id: str
    role: str
    email: str
    record: dict

    def client(self, service: str) -> Client:
        return self.stack.client(service, TOKEN_ROLE[self.role], self.id)


@dataclass
class Patient:
    id: str
    email: str
    record: dict
    family: dict = field(default_factory=dict)  # relationship -> record (with "email")
    team: dict | None = None


@dataclass
class CardiologyCase:
    """The usual cast of the journeys and fault tests: a patient with a
    daughter who may hear about appointments, and a care team of a
    coordinator (its lead), a nurse, a physician and a cardiologist."""
    coordinator: Staff
    nurse: Staff
    physician: Staff
    cardiologist: Staff
    patient: Patient
    daughter: dict

    @property
    def team(self) -> list[Staff]:
        return [self.coordinator, self.nurse, self.physician, self.cardiologist]

    @property
    def cast(self) -> tuple:
        return self.coordinator, self.nurse, self.physician, self.cardiologist, self.patient, self.daughter


def if_match(response) -> dict:
    """The If-Match header for a change to what `response` (a read) showed."""
    ok(response)
    return {"If-Match": response.headers["ETag"]}


def idempotency() -> dict:
    return {"Idempotency-Key": str(uuid.uuid4())}


class World:
    def __init__(self, stack: Stack, tag: str | None = None):
        self.stack = stack
        self.tag = tag or uuid.uuid4().hex[:10]
        self._admin: dict[str, Client] = {}

    def admin(self, service: str, role: str = "admin") -> Client:
        """A client of a staff member outside every care team (an admin or a
        front-desk coordinator, who see every patient)."""
        if (service, role) not in self._admin:
            self._admin[(service, role)] = self.stack.client(service, role)
        return self._admin[(service, role)]

    # -- people ---------------------------------------------------------------

    def practitioner(self, role: str, specialty: str | None = None, name: str | None = None) -> Staff:
        name = name or role
        email = f"{name}-{self.tag}@staff.example"
        body = {"given_name": name.title(), "family_name": f"Staff{self.tag}", "role": role,
                "time_zone": "America/New_York", "contact_points": [{"system": "email", "value": email}]}
        if specialty:
            body["specialty"] = specialty
        record = ok(self.admin("patients").post("/practitioners", json=body, headers=idempotency()), 201)
        return Staff(self.stack, record["id"], role, email, record)

    def patient(self, coordinator: Staff, *, given_name: str = "Ann", preferred_channel: str = "email",
                time_zone: str = "America/New_York") -> Patient:
        email = f"patient-{self.tag}@patients.example"
        record = ok(coordinator.client("patients").post("/patients", headers=idempotency(), json={
            "mrn": f"MRN-{self.tag}", "given_name": given_name, "family_name": f"Testpatient{self.tag}",
            "birth_date": "1948-05-17", "administrative_sex": "female", "time_zone": time_zone,
            "contact_points": [{"system": "email", "value": email}],
            "communication": {"preferred_channel": preferred_channel}}), 201)
        return Patient(record["id"], email, record)

    def related_person(self, coordinator: Staff, patient: Patient, relationship: str, email: str | None = None,
                       **consent) -> dict:
        email = email or f"{relationship}-{self.tag}@family.example"
        record = ok(coordinator.client("patients").post(
            f"/patients/{patient.id}/related-persons", headers=idempotency(), json={
                "given_name": relationship.title(), "family_name": f"Testpatient{self.tag}",
                "relationship": relationship, "time_zone": "America/New_York",
                "contact_points": [{"system": "email", "value": email}],
                "communication": {"preferred_channel": "email"},
                "consent": {"appointments": False, "care_plan": False, "billing": False, **consent}}), 201)
        record["email"] = email
        patient.family[relationship] = record
        return record

    def care_team(self, coordinator: Staff, patient: Patient, members: list[Staff], lead: Staff | None = None) -> dict:
        lead = lead or coordinator
        team = ok(coordinator.client("patients").post("/care-teams", headers=idempotency(), json={
            "patient_id": patient.id, "name": f"Care team {self.tag}", "status": "active",
            "lead_coordinator_id": lead.id,
            "members": [{"practitioner_id": m.id, "role": m.role} for m in members]}), 201)
        patient.team = team
        return team

    def cardiology_case(self, *, coordinator_name: str | None = None, clinician: str = "nurse",
                        open_visits: list[str] = ()) -> CardiologyCase:
        """The usual cast (CardiologyCase), known to every service (with the
        team member named by `clinician` let in everywhere), and the
        cardiologist's week open for `open_visits`."""
        coordinator = self.practitioner("coordinator", name=coordinator_name)
        nurse = self.practitioner("nurse")
        physician = self.practitioner("physician")
        cardiologist = self.practitioner("specialist", specialty="cardiology", name="cardiologist")
        patient = self.patient(coordinator)
        daughter = self.related_person(coordinator, patient, "daughter", appointments=True)
        case = CardiologyCase(coordinator, nurse, physician, cardiologist, patient, daughter)
        self.care_team(coordinator, patient, case.team)
        self.wait_until_known(patient, case.team, clinician=getattr(case, clinician))
        if open_visits:
            self.open_all_week(coordinator, cardiologist, list(open_visits))
        return case

    def wait_until_known(self, patient: Patient, staff: list[Staff], clinician: Staff | None = None) -> None:
        """Wait until the other services have heard of the patient, the family
        and the care team (their events are asynchronous): notifications can
        reach everyone, and a clinician of the team is let in everywhere."""
        notifications = self.admin("notifications", "coordinator")
        expected = {patient.id, *(r["id"] for r in patient.family.values()), *(s.id for s in staff)}

        def directory_ready():
            items = ok(notifications.get("/recipients", params={"patient_id": patient.id}))["items"]
            known = {i["recipient_id"] for i in items if i["known"]}
            return expected <= known

        eventually(directory_ready, timeout=30, message="the notifications directory to know everyone")
        if clinician is not None:
            checks = [("careplans", "/care-plans"), ("scheduling", "/appointments"), ("billing", "/estimates"),
                      ("notifications", "/notifications")]
            for service, path in checks:
                client = clinician.client(service)
                eventually(lambda: client.get(path, params={"patient_id": patient.id}).status_code == 200,
                           timeout=30, message=f"{service} to know the care team")

    def email_preferences(self, person: Staff, **channels) -> dict:
        """The practitioner chooses the channels per category (e.g.
        care_plan=["email"]), as they would in the staff app."""
        client = person.client("notifications")
        path = f"/preferences/practitioners/{person.id}"
        current = eventually(lambda: (r := client.get(path)).status_code == 200 and r, timeout=30,
                             message=f"notifications to know practitioner {person.id}")
        return ok(client.put(path, json={"channels": channels}, headers=if_match(current)))

    # -- care plans ------------------------------------------------------------

    def plan_from_template(self, author: Staff, patient: Patient, template: str = "heart-failure-post-discharge",
                           **extra) -> dict:
        return ok(author.client("careplans").post("/care-plans/from-template", headers=idempotency(), json={
            "template_code": template, "patient_id": patient.id, "care_team_id": patient.team["id"], **extra}), 201)

    def set_plan_status(self, author: Staff, plan: dict, status: str, reason: str = "as discussed") -> dict:
        client = author.client("careplans")
        current = client.get(f"/care-plans/{plan['id']}")
        return ok(client.put(f"/care-plans/{plan['id']}/status", json={"status": status, "reason": reason},
                             headers=if_match(current)))

    # -- scheduling ------------------------------------------------------------

    def location(self, code: str = "main-street-clinic") -> dict:
        items = ok(self.admin("scheduling").get("/locations", params={"page_size": 100}))["items"]
        return next(item for item in items if item["code"] == code)

    def _location_for(self, codes: list[str]) -> str:
        types = ok(self.admin("scheduling").get("/appointment-types", params={"page_size": 100}))["items"]
        settings = {t["setting"] for t in types if t["code"] in codes}
        if len(settings) != 1 or settings == {"outpatient-clinic"}:
            return "main-street-clinic"
        items = ok(self.admin("scheduling").get("/locations", params={"page_size": 100}))["items"]
        return next((item["code"] for item in items if item["setting"] in settings and item.get("active", True)),
                    "main-street-clinic")

    def open_all_week(self, coordinator: Staff, practitioner: Staff, codes: list[str],
                      location: str | None = None) -> dict:
        """A schedule open every day around the clock (UTC), so a test can book
        whatever time it needs; by default at a location of the visit types'
        setting (a type is booked only there), else at the main street clinic."""
        location_id = self.location(location or self._location_for(codes))["id"]
        return ok(coordinator.client("scheduling").post("/schedules", json={
            "practitioner_id": practitioner.id, "time_zone": "UTC", "buffer_minutes": 0,
            "slot_interval_minutes": 15,
            "rules": [{"weekday": day, "start_time": "00:00", "end_time": "23:59", "location_id": location_id,
                       "appointment_type_codes": codes} for day in WEEKDAYS]}), 201)

    def book(self, booker: Staff, patient: Patient, practitioner: Staff, appointment_type: str, start: datetime,
             **extra) -> dict:
        return ok(booker.client("scheduling").post("/appointments", headers=idempotency(), json={
            "patient_id": patient.id, "practitioner_id": practitioner.id,
            "appointment_type_code": appointment_type, "start": start.isoformat(), **extra}), 201)

    def set_appointment_status(self, staff: Staff, appointment: dict, status: str, **extra) -> dict:
        client = staff.client("scheduling")
        current = client.get(f"/appointments/{appointment['id']}")
        return ok(client.put(f"/appointments/{appointment['id']}/status", json={"status": status, **extra},
                             headers=if_match(current)))

    def booking_requests(self, staff: Staff, patient: Patient, status: str = "open") -> list[dict]:
        return ok(staff.client("scheduling").get("/booking-requests", params={
            "patient_id": patient.id, "status": status, "page_size": 100}))["items"]

    # -- billing ---------------------------------------------------------------

    def coverage(self, staff: Staff, patient: Patient, *, payer_id: str = "acme-health",
                 plan_id: str = "ACME-PPO-2026", copays: dict | None = None, member_id: str | None = None) -> dict:
        today = self.stack.now().date()
        return ok(staff.client("billing").post("/coverages", headers=idempotency(), json={
            "patient_id": patient.id, "payer_id": payer_id, "plan_id": plan_id,
            "member_id": member_id or f"ACM-{self.tag}", "effective_start": (today - timedelta(days=60)).isoformat(),
            "coinsurance_percent": 20, "copays": copays or {},
            "deductible": {"amount": "500.00", "currency": "USD"},
            "out_of_pocket_max": {"amount": "3000.00", "currency": "USD"}}), 201)


def slot_start(after: datetime, minutes: int = 15) -> datetime:
    """The first quarter hour at or after `after` (slots start on the
    quarter) at which any visit (an hour at most) ends before midnight UTC,
    where the all-week schedules of `open_all_week` end each day."""
    base = after.astimezone(timezone.utc).replace(second=0, microsecond=0)
    extra = (-base.minute) % minutes
    start = base + timedelta(minutes=extra)
    if start < after:
        start += timedelta(minutes=minutes)
    if start.time() > LATEST_START:
        start = datetime.combine(start.date() + timedelta(days=1), time(0, 0), tzinfo=timezone.utc)
    return start


LATEST_START = time(22, 45)
