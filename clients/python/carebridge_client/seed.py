"""`carebridge seed`: a realistic demo organisation, loaded through the APIs
with this client, into a stack in development mode (`make run`, or a real
stack started with CAREBRIDGE_ENV=development): it signs in as each staff
member with a development token.

    carebridge seed                       # make run's stack on this machine
    carebridge seed --base-url patients=http://host:8001 --base-url careplans=...

What it makes: 15 practitioners of every role (the clinicians with weekly
schedules), 30 patients of all ages, languages and time zones with accented
names, each with a care team, some with family (different consents) and
allergies; care plans from every template (one with a major interaction a
physician overrode), booked follow-ups, recurring therapy, visits done and
missed, coverage with amounts met, claims in several states, an open prior
authorization, billing issues and a filled coordinator worklist.

Idempotent: everything is found by its natural key (an email, an MRN) or by
what a patient already has, so a second run adds nothing (and a run that
stopped half-way finishes the job).
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from . import CareBridge, DevelopmentToken, Forbidden, NotFound, development_urls
from .errors import ApiError, ValidationFailed

DEMO_DOMAIN = "demo.carebridge.example"
# (given, family, role, specialty, time zone, language)
STAFF = [
    ("Amélie", "Laurent", "coordinator", None, "America/New_York", "fr"),
    ("José", "Martínez", "coordinator", None, "America/Chicago", "es"),
    ("Siobhán", "O'Connor", "coordinator", None, "America/New_York", "en"),
    ("Nguyễn", "Thị Lan", "nurse", None, "America/Los_Angeles", "vi"),
    ("Björn", "Sørensen", "nurse", None, "America/New_York", "en"),
    ("Aaliyah", "Haddad", "nurse", None, "America/Denver", "ar"),
    ("Zoë", "Okafor", "physician", None, "America/New_York", "en"),
    ("François", "Dubois", "physician", None, "America/Chicago", "fr"),
    ("Hiroshi", "Tanaka", "specialist", "cardiology", "America/New_York", "ja"),
    ("Małgorzata", "Kowalska", "specialist", "endocrinology", "America/New_York", "pl"),
    ("Raúl", "Fernández", "specialist", "orthopedics", "America/Phoenix", "es"),
    ("Ingrid", "Johansson", "therapist", "physical-therapy", "America/New_York", "sv"),
    ("Chidi", "Nwosu", "pharmacist", None, "America/New_York", "en"),
    ("Leïla", "Benali", "social-worker", None, "America/New_York", "fr"),
    ("Dmitri", "Volkov", "billing", None, "America/New_York", "ru"),
]
TOKEN_ROLES = {"coordinator", "nurse", "physician", "specialist", "billing"}
# (given, family, birth year, sex, time zone, language)
PATIENTS = [
    ("Émile", "Gagnon", 1938, "male", "America/Toronto", "fr-CA"),
    ("María José", "Hernández", 1951, "female", "America/Mexico_City", "es-MX"),
    ("Søren", "Kierkegaard", 1944, "male", "Europe/Copenhagen", "da"),
    ("Aoife", "Ní Bhriain", 1962, "female", "Europe/Dublin", "ga"),
    ("Thanh", "Phạm", 1957, "male", "America/Los_Angeles", "vi"),
    ("Zuzana", "Dvořáková", 1949, "female", "Europe/Prague", "cs"),
    ("Kwame", "Mensah", 1971, "male", "America/New_York", "en"),
    ("Fatima", "Al-Sayed", 1966, "female", "America/Detroit", "ar"),
    ("Jürgen", "Müller", 1940, "male", "Europe/Berlin", "de"),
    ("Ana Lúcia", "Gonçalves", 1983, "female", "America/Sao_Paulo", "pt-BR"),
    ("Wei", "Zhāng", 1955, "male", "America/Los_Angeles", "zh-Hans"),
    ("Priya", "Raghunathan", 1990, "female", "America/Chicago", "ta"),
    ("Bartholomew", "O'Reilly", 1935, "male", "America/New_York", "en"),
    ("Ngozi", "Eze", 1978, "female", "America/New_York", "ig"),
    ("Henri", "Lefèvre", 1947, "male", "America/Montreal", "fr"),
    ("Yuki", "Sato", 2004, "female", "Pacific/Honolulu", "ja"),
    ("Ricardo", "Peña", 1960, "male", "America/Denver", "es"),
    ("Agnieszka", "Wiśniewska", 1953, "female", "America/Chicago", "pl"),
    ("Olumide", "Adébáyọ̀", 1969, "male", "America/New_York", "yo"),
    ("Chloé", "Beaumont", 1995, "female", "America/New_York", "fr"),
    ("Dong-hyun", "Kim", 1958, "male", "America/Los_Angeles", "ko"),
    ("Eleni", "Papadopoulou", 1942, "female", "America/New_York", "el"),
    ("Mateo", "García", 2010, "male", "America/Phoenix", "es"),
    ("Ayşe", "Yılmaz", 1964, "female", "America/New_York", "tr"),
    ("Olaf", "Þórsson", 1950, "male", "Atlantic/Reykjavik", "is"),
    ("Rosa", "Jiménez", 1939, "female", "America/Puerto_Rico", "es-PR"),
    ("Tomás", "Ó Súilleabháin", 1973, "male", "America/New_York", "en"),
    ("Mei-Ling", "Chén", 1986, "female", "America/Anchorage", "zh-Hant"),
    ("Gustavo", "Araújo", 1945, "male", "America/Sao_Paulo", "pt-BR"),
    ("Hélène", "Côté", 1958, "female", "America/Toronto", "fr-CA"),
]
# relationship, consent (appointments, care_plan, billing)
FAMILY = [("daughter", (True, False, False)), ("son", (True, True, False)), ("spouse", (True, True, True)),
          ("caregiver", (True, True, False)), ("guardian", (True, True, True)), ("friend", (False, False, False))]
ALLERGIES = [("7980", "penicillin G", "rxnorm", "high", "severe", "hives and throat swelling"),
             ("2670", "codeine", "rxnorm", "low", "moderate", "nausea"),
             ("1191", "aspirin", "rxnorm", "high", "moderate", "wheezing"),
             ("class:sulfonamides", "sulfonamide antibiotics", "drug-class", "low", "mild", "rash")]
POTASSIUM_CHLORIDE = "8591"
PAYERS = [("acme-health", "ACME-PPO-2026"), ("acme-health", "ACME-HMO-2026"), ("bluestone-mutual", "BSM-GOLD"),
          ("bluestone-mutual", "BSM-BASIC"), ("medicare", "MEDICARE-B")]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]


def email_of(given: str, family: str, kind: str) -> str:
    import unicodedata
    plain = unicodedata.normalize("NFKD", f"{given}.{family}").encode("ascii", "ignore").decode().lower()
    plain = "".join(c for c in plain.replace(" ", "-") if c.isalnum() or c in ".-")
    return f"{plain}@{kind}.{DEMO_DOMAIN}"


class Progress:
    """A progress bar on a terminal (stderr), one line per step elsewhere."""

    def __init__(self, total: int, out=sys.stderr, width: int = 30):
        self.total, self.done, self.out, self.width = total, 0, out, width
        self.tty = hasattr(out, "isatty") and out.isatty()
        self.added = 0

    def step(self, what: str, added: int = 0) -> None:
        self.done += 1
        self.added += added
        filled = int(self.width * self.done / self.total)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done:3}/{self.total} {what}"
        if self.tty:
            self.out.write("\r" + line[:100].ljust(100))
            if self.done == self.total:
                self.out.write("\n")
        else:
            self.out.write(line + "\n")
        self.out.flush()


@dataclass
class Demo:
    urls: dict
    timeout: float = 60.0
    clients: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)      # email -> practitioner
    created: dict = field(default_factory=dict)    # kind -> count

    def as_(self, role: str, subject=None) -> CareBridge:
        key = (role, str(subject) if subject else None)
        if key not in self.clients:
            self.clients[key] = CareBridge(self.urls, DevelopmentToken(role, subject=key[1]))
        return self.clients[key]

    def count(self, kind: str, n: int = 1) -> int:
        self.created[kind] = self.created.get(kind, 0) + n
        return n

    def person(self, practitioner) -> CareBridge:
        role = practitioner.role if practitioner.role in TOKEN_ROLES else "coordinator"
        return self.as_(role, practitioner.id if practitioner.role in TOKEN_ROLES else None)

    def eventually(self, attempt, what: str):
        """Retry while the other services have not yet heard (their events are asynchronous)."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                return attempt()
            except (Forbidden, NotFound, ValidationFailed) as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gave up waiting for {what}: {error}") from error
                time.sleep(0.3)

    def by_role(self, role: str, specialty: str | None = None) -> list:
        return [p for p in self.staff.values() if p.role == role and (specialty is None or p.specialty == specialty)]


def load_staff(demo: Demo, progress: Progress) -> None:
    admin = demo.as_("admin")
    existing = {cp.value: p for p in admin.patients.search_practitioners(q=DEMO_DOMAIN.split(".")[0])
                for cp in (p.contact_points or [])}
    for given, family, role, specialty, zone, language in STAFF:
        email = email_of(given, family, "staff")
        known = existing.get(email) or next(
            (p for p in admin.patients.search_practitioners(q=family) for cp in (p.contact_points or [])
             if cp.value == email), None)
        if known is None:
            known = admin.patients.add_practitioner(
                given_name=given, family_name=family, role=role, specialty=specialty, time_zone=zone,
                preferred_language=language, contact_points=[{"system": "email", "value": email}])
            demo.count("practitioners")
        demo.staff[email] = known
        progress.step(f"staff: {role} {given} {family}")


def load_schedules(demo: Demo, progress: Progress) -> None:
    coordinator = demo.person(demo.by_role("coordinator")[0])
    locations = {loc.code: loc for loc in coordinator.scheduling.list_locations()}
    clinic, hospital = locations["main-street-clinic"], locations["riverside-hospital"]
    def week(location, codes, days=WEEKDAYS):
        return [{"weekday": day, "start_time": "08:00", "end_time": "17:00", "location_id": location.id,
                 "appointment_type_codes": codes} for day in days]

    plans = [(p, week(clinic, ["new-patient", "follow-up"])) for p in demo.by_role("physician")]
    for p in demo.by_role("specialist"):
        if p.specialty == "cardiology":   # echocardiograms at the hospital on Fridays
            rules = week(clinic, ["cardiology-follow-up", "specialist-consult"], WEEKDAYS[:4])
            rules += week(hospital, ["echocardiogram"], WEEKDAYS[4:])
        else:
            rules = week(clinic, ["specialist-consult"])
        plans.append((p, rules))
    plans += [(p, week(clinic, ["physical-therapy"])) for p in demo.by_role("therapist")]
    for practitioner, rules in plans:
        if not list(coordinator.scheduling.list_schedules(practitioner_id=practitioner.id)):
            coordinator.scheduling.create_schedule(practitioner_id=practitioner.id, time_zone="America/New_York",
                                                   slot_interval_minutes=15, buffer_minutes=0, rules=rules)
            demo.count("schedules")
        progress.step(f"schedule: {practitioner.given_name} {practitioner.family_name}")


def load_patient(demo: Demo, index: int, progress: Progress) -> None:
    given, family, year, sex, zone, language = PATIENTS[index]
    coordinators, nurses = demo.by_role("coordinator"), demo.by_role("nurse")
    physicians, specialists = demo.by_role("physician"), demo.by_role("specialist")
    lead = coordinators[index % len(coordinators)]
    cb = demo.person(lead)
    mrn = f"DEMO-{index + 1:04d}"
    patient = next(iter(cb.patients.search(mrn=mrn)), None)
    if patient is None:
        patient = cb.patients.register(
            mrn=mrn, given_name=given, family_name=family, birth_date=date(year, 1 + index % 12, 1 + index % 27),
            administrative_sex=sex, time_zone=zone, preferred_language=language,
            contact_points=[{"system": "email", "value": email_of(given, family, "patients")}],
            communication={"preferred_channel": ["email", "inapp"][index % 2]})
        demo.count("patients")
    # The care team: its lead coordinator, a nurse, a physician and a specialist.
    nurse, physician = nurses[index % len(nurses)], physicians[index % len(physicians)]
    specialist = specialists[index % len(specialists)]
    team = next(iter(cb.patients.search_care_teams(patient_id=patient.id)), None)
    if team is None:
        team = cb.patients.create_care_team(
            patient_id=patient.id, name=f"{family} care team", status="active", lead_coordinator_id=lead.id,
            members=[{"practitioner_id": lead.id, "role": "coordinator"},
                     {"practitioner_id": nurse.id, "role": "nurse"},
                     {"practitioner_id": physician.id, "role": "physician"},
                     {"practitioner_id": specialist.id, "role": "specialist"}])
        demo.count("care teams")
    if index % 2 == 0 and not list(cb.patients.list_related_persons(patient.id)):
        relationship, (appointments, care_plan, billing) = FAMILY[(index // 2) % len(FAMILY)]
        relative = ("Marie" if index % 4 else "Iñaki") + f" {family}"
        cb.patients.add_related_person(
            patient.id, given_name=relative.split()[0], family_name=family, relationship=relationship,
            time_zone=zone, contact_points=[{"system": "email", "value": email_of(relative, str(index), "family")}],
            communication={"preferred_channel": "email"},
            consent={"appointments": appointments, "care_plan": care_plan, "billing": billing})
        demo.count("family members")
    if index % 3 == 0 and not list(cb.patients.list_allergies(patient.id)):
        code, name, system, criticality, severity, reaction = ALLERGIES[(index // 3) % len(ALLERGIES)]
        cb.patients.record_allergy(patient.id, substance_code=code, substance_name=name, substance_system=system,
                                   criticality=criticality, severity=severity, reaction=reaction,
                                   verification_status="confirmed")
        demo.count("allergies")
    plan = load_plan(demo, index, patient, team, cb, physician)
    coverage = load_coverage(demo, index, patient)
    load_visits(demo, index, patient, plan, cb, specialist, physician)
    load_billing(demo, index, patient, coverage)
    load_worklist(demo, index, patient, plan, cb, lead)
    progress.step(f"patient {mrn}: {given} {family}")


def load_plan(demo, index, patient, team, cb, physician):
    plans = list(cb.careplans.list(patient_id=patient.id))
    if plans:
        return cb.careplans.get(plans[0].id)
    templates = sorted(t.code for t in cb.careplans.list_plan_templates())
    template = templates[index % len(templates)]
    plan = demo.eventually(lambda: cb.careplans.create_from_template(
        template_code=template, patient_id=patient.id, care_team_id=team.id), "careplans to know the care team")
    demo.count("care plans")
    if template == "heart-failure-post-discharge" and index < len(templates) * 2:
        # The physician adds potassium on top of spironolactone: a major
        # interaction, which they override with a reason.
        doctor = demo.person(physician)
        potassium = {"kind": "medication", "medication": {
            "name": "potassium chloride", "rxnorm_code": POTASSIUM_CHLORIDE, "dose": "20 mEq", "route": "oral",
            "frequency": "once-daily", "purpose": "keeps your potassium up", "prescriber_id": physician.id}}
        plan = demo.eventually(lambda: doctor.careplans.revise(
            doctor.careplans.get(plan.id), activities=[potassium],
            reason="potassium 3.1 mmol/L",
            medication_override={"reason": "potassium 3.1 mmol/L on the diuretic; recheck in 3 days"}),
            "careplans to let the physician in")
    if index % 5 != 4:
        plan = cb.careplans.change_status(cb.careplans.get(plan.id), status="active",
                                          reason="agreed with the patient")
    return plan


def next_weekday(after: date, weekday: int) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


def load_visits(demo, index, patient, plan, cb, specialist, physician):
    if list(cb.scheduling.search_appointments(patient_id=patient.id)):
        return
    today = datetime.now(timezone.utc).date()
    # The follow-ups the plan asks for, booked in their window.
    requests_ = demo.eventually(lambda: _open_requests(cb, patient, plan), "the plan's follow-ups to book")
    for request in requests_[: 1 + index % 2]:
        if request.kind == "recurring" or not request.window_start:
            continue
        practitioner = _who_offers(demo, request.appointment_type_code) or specialist
        start_day = max(request.window_start, today + timedelta(days=1))
        slots = cb.scheduling.search_slots(appointment_type_code=request.appointment_type_code,
                                           practitioner_id=practitioner.id, start_date=start_day,
                                           end_date=start_day + timedelta(days=13))
        free = list(_take(_fitting(cb, patient, slots), 1 + index))
        if free:
            cb.scheduling.book_appointment(patient_id=patient.id, practitioner_id=practitioner.id,
                                           appointment_type_code=request.appointment_type_code,
                                           start=free[-1].start, care_plan_id=plan.id,
                                           plan_activity_id=request.plan_activity_id)
            demo.count("appointments")
    # Recurring physical therapy for some.
    therapist = demo.by_role("therapist")
    if index % 6 == 1 and therapist:
        first = next_weekday(today, 1)
        outcome = cb.scheduling.book_recurring_appointments(
            patient_id=patient.id, practitioner_id=therapist[0].id, appointment_type_code="physical-therapy",
            first_day=first, weeks=4, time_zone="America/New_York",
            sessions=[{"weekday": "tuesday", "at": f"{9 + index // 6:02d}:30"},
                      {"weekday": "thursday", "at": f"{9 + index // 6:02d}:30"}])
        demo.count("appointments", len(getattr(outcome, "appointments", None) or []))
    # The next visits: some done (charged, then claimed), some left to be missed.
    if index % 3 != 2:
        slots = cb.scheduling.search_slots(appointment_type_code="follow-up", practitioner_id=physician.id,
                                           start_date=today, end_date=today + timedelta(days=14))
        now = datetime.now(timezone.utc)
        free = [slot for slot in _take(_fitting(cb, patient, slots), 200) if slot.start > now][: 2 + index]
        slot = free[-1] if free else None
        if slot is not None:
            visit = cb.scheduling.book_appointment(patient_id=patient.id, practitioner_id=physician.id,
                                                   appointment_type_code="follow-up", start=slot.start)
            demo.count("appointments")
            if index % 3 == 0:
                cb.scheduling.change_appointment_status(visit, status="arrived")
                cb.scheduling.change_appointment_status(visit, status="fulfilled")
            # The others stay booked on the next free slots: nobody checks them
            # in, so the no-show sweep marks them missed once their time
            # passes (a visit cannot be missed before it starts).


def _fitting(cb, patient, slots):
    """The slots that do not overlap a visit the patient already has: which
    slot is the n-th free one depends on today's date, and on some days it
    fell on the patient's own therapy session (scheduling refuses that)."""
    booked = [(visit.start, visit.end) for visit in cb.scheduling.search_appointments(patient_id=patient.id)
              if visit.status not in ("cancelled", "entered-in-error", "waitlist", "noshow")]
    for slot in slots:
        if not any(slot.start < end and start < slot.end for start, end in booked):
            yield slot


def _take(iterable, n):
    for i, item in enumerate(iterable):
        if i >= n:
            return
        yield item


def _open_requests(cb, patient, plan):
    found = list(cb.scheduling.list_booking_requests(patient_id=patient.id, status="open"))
    if plan.status == "active" and not found:
        raise NotFound(404, {"detail": "no booking request yet"}, None)
    return found


def _who_offers(demo, code):
    offered = {"cardiology-follow-up": ("specialist", "cardiology"), "specialist-consult": ("specialist", None),
               "physical-therapy": ("therapist", None), "follow-up": ("physician", None),
               "new-patient": ("physician", None)}.get(code)
    if not offered:
        return None
    people = demo.by_role(*offered)
    return people[0] if people else None


def load_coverage(demo, index, patient):
    """Before the visits: a completed visit's claim goes to the coverage in effect."""
    biller = demo.person(demo.by_role("billing")[0])
    coverage = next(iter(biller.billing.list_coverages(patient_id=patient.id)), None)
    if coverage is None:
        payer, plan_id = PAYERS[index % len(PAYERS)]
        met = 50 * (index % 9)
        coverage = demo.eventually(lambda: biller.billing.record_coverage(
            patient_id=patient.id, payer_id=payer, plan_id=plan_id, member_id=f"{payer[:3].upper()}-{index:06d}",
            effective_start=date(datetime.now(timezone.utc).year, 1, 1), coinsurance_percent=str(10 + 5 * (index % 4)),
            copays={"specialist": {"amount": "40.00", "currency": "USD"}},
            deductible={"amount": "1500.00", "currency": "USD"},
            deductible_met={"amount": f"{met}.00", "currency": "USD"},
            out_of_pocket_max={"amount": "6000.00", "currency": "USD"},
            out_of_pocket_met={"amount": f"{met + 120}.00", "currency": "USD"}), "billing to know the patient")
        demo.count("coverages")
    return coverage


def load_billing(demo, index, patient, coverage):
    biller = demo.person(demo.by_role("billing")[0])
    if index % 3 == 0:
        # The completed visit's charge becomes a claim by itself (billing
        # drafts one per charge); half of them are sent to the payer.
        claim = demo.eventually(lambda: _first_claim(biller, patient), "the completed visit's claim")
        if index % 2 == 0 and claim.status == "draft":
            biller.billing.submit_claim(biller.billing.get_claim(claim.id))
            demo.count("claims submitted")
    if index == 7 and not list(biller.billing.list_prior_authorizations(patient_id=patient.id)):
        biller.billing.request_prior_authorization(patient_id=patient.id, service_code="93306",
                                                   coverage_id=coverage.id, units=1)
        demo.count("prior authorizations")
    if index % 10 == 3 and not list(biller.billing.list_issues(patient_id=patient.id)):
        category, summary, source = [("insurance-question", "Asks whether therapy visits are covered", "family"),
                                     ("payment-plan", "Wants to spread the deductible over six months", "patient"),
                                     ("disputed-charge", "Says the follow-up visit was charged twice", "patient")
                                     ][(index // 10) % 3]
        biller.billing.open_issue(patient_id=patient.id, category=category, summary=summary, source=source)
        demo.count("billing issues")


def _first_claim(biller, patient):
    claim = next(iter(biller.billing.list_claims(patient_id=patient.id)), None)
    if claim is None:
        raise NotFound(404, {"detail": "no claim yet"}, None)
    return claim


def load_worklist(demo, index, patient, plan, cb, lead):
    if index % 2 or list(cb.careplans.list_tasks(patient_id=patient.id, code=["outreach", "medication-review",
                                                                               "general"])):
        return
    code, reason, priority = [("outreach", "Call about the missed follow-up", "urgent"),
                              ("medication-review", "Review the new medicines with the pharmacist", "routine"),
                              ("general", "Arrange transport to the next visit", "routine")][(index // 2) % 3]
    cb.careplans.create_task(patient_id=patient.id, code=code, reason=reason, priority=priority, owner_id=lead.id,
                             plan_id=plan.id, due_at=datetime.now(timezone.utc) + timedelta(days=1 + index % 5))
    demo.count("worklist tasks")


def seed(base_urls: dict | None = None, *, out=sys.stderr, timeout: float = 60.0) -> dict:
    """Load the demo organisation; return what was added, by kind (nothing
    on a second run)."""
    demo = Demo(base_urls or development_urls(), timeout=timeout)
    schedules = 2 + 3 + 1
    progress = Progress(len(STAFF) + schedules + len(PATIENTS), out)
    load_staff(demo, progress)
    load_schedules(demo, progress)
    for index in range(len(PATIENTS)):
        load_patient(demo, index, progress)
    return demo.created


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="carebridge seed", description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", action="append", default=[], metavar="SERVICE=URL",
                        help="a service's base URL (default: make run's ports on 127.0.0.1)")
    parser.add_argument("--host", default="127.0.0.1", help="the host of make run's stack")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for the services to hear of each other's changes")
    args = parser.parse_args(argv)
    urls = development_urls(args.host)
    for item in args.base_url:
        service, _, url = item.partition("=")
        urls[service] = url
    try:
        added = seed(urls, timeout=args.timeout)
    except ApiError as error:
        print(f"carebridge seed: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        from .errors import CareBridgeError
        import requests
        if isinstance(error, (CareBridgeError, requests.ConnectionError)):
            print(f"carebridge seed: {error}\nIs the stack up (make run) and in development mode?", file=sys.stderr)
            return 1
        raise
    if added:
        print("added: " + ", ".join(f"{n} {kind}" for kind, n in added.items()))
    else:
        print("the demo organisation is already loaded; nothing added")
    return 0


if __name__ == "__main__":
    sys.exit(main())
