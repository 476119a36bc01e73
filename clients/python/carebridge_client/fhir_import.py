"""`carebridge fhir import BUNDLE.json`: a FHIR R4 `transaction` or
`collection` Bundle (an EHR export, a Synthea patient) into CareBridge,
through the services' APIs with this client.

What CareBridge keeps is created: the patient (found by MRN first), the
practitioners (found by NPI), the allergies (found by substance code), the
active medications as one draft care plan (the medication safety checks run
as for any plan: what they refuse is reported, the rest is kept), the
active conditions on that plan, the coverage (found by member id), and
the vital-sign Observations (LOINC) of a measure the patient is enrolled in
remote monitoring for, as readings (one already stored is matched). What
CareBridge does not keep from another organisation (encounters, their own
care plans, other observations, vital signs of a measure not monitored) is
skipped with the reason. Every resource of the
Bundle gets one line of the report: created, matched (already there: a
second run adds nothing), skipped or refused, each with why. A failure
stops nothing but what depends on it; the report is printed whatever
happens. The report names resources and codes, never a person's name.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date

from . import UNSET, CareBridge, StaticToken
from .errors import ApiError, Conflict, Forbidden, MedicationSafetyRefusal, NotFound, ValidationFailed

NPI = "http://hl7.org/fhir/sid/us-npi"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
MR_TYPE = "MR"
PLAN_TITLE = "Medications imported from FHIR"
SUBSTANCE_SYSTEMS = {RXNORM: "rxnorm", SNOMED: "snomed", "http://fdasis.nlm.nih.gov": "unii"}
BILLING_CATEGORIES = ("primary-care", "specialist", "therapy", "telehealth", "imaging")
ALLERGY_CATEGORIES = ("medication", "food", "environment", "biologic")
ROUTES_SNOMED = {"26643006": "oral", "37839007": "sublingual", "34206005": "subcutaneous",
                 "78421000": "intramuscular", "47625008": "intravenous", "447694001": "inhaled",
                 "18679011000001101": "inhaled", "6064005": "topical", "45890007": "transdermal",
                 "54485002": "ophthalmic", "46713006": "nasal", "37161004": "rectal"}
# Words of an RxNorm clinical drug's name (Synthea's `text`) that give its route.
ROUTES_IN_NAME = (("oral", "oral"), ("chewable", "oral"), ("sublingual", "sublingual"),
                  ("inhal", "inhaled"), ("metered dose", "inhaled"), ("transdermal", "transdermal"),
                  ("topical", "topical"), ("ophthalmic", "ophthalmic"), ("nasal", "nasal"),
                  ("rectal", "rectal"), ("prefilled syringe", "subcutaneous"), ("auto-injector", "subcutaneous"),
                  ("injectable", "intramuscular"), ("injection", "intramuscular"))
# (frequency, period, periodUnit) of a FHIR Timing -> CareBridge's frequency words.
FREQUENCIES = {(1, 1, "d"): "once-daily", (2, 1, "d"): "twice-daily", (3, 1, "d"): "three-times-daily",
               (4, 1, "d"): "four-times-daily", (1, 24, "h"): "once-daily", (1, 12, "h"): "every-12-hours",
               (1, 8, "h"): "every-8-hours", (1, 2, "d"): "every-other-day", (1, 1, "wk"): "weekly",
               (1, 7, "d"): "weekly"}
LOINC = "http://loinc.org"
# LOINC code of a vital sign -> monitoring's measure (panels and the codes Synthea writes).
VITAL_SIGNS = {"85354-9": "blood-pressure", "55284-4": "blood-pressure", "8867-4": "heart-rate",
               "29463-7": "weight", "3141-9": "weight", "59408-5": "spo2", "2708-6": "spo2",
               "8310-5": "temperature", "2339-0": "blood-glucose", "2345-7": "blood-glucose"}
SYSTOLIC, DIASTOLIC = "8480-6", "8462-4"
FREQUENCY_WORDS = {*FREQUENCIES.values(), "every-morning", "every-evening", "at-bedtime", "as-needed"}
NOT_KEPT = {
    "Encounter": "CareBridge keeps no encounter history of other organisations",
    "CarePlan": "CareBridge's care plans are its own (its templates); the active medications and conditions "
                "are imported into a draft plan instead",
    "Observation": "only vital signs (LOINC) of a patient enrolled in remote monitoring are imported",
    "Condition": "inactive or resolved: only active conditions go on the care plan",
}


@dataclass
class Line:
    ref: str
    outcome: str          # created | matched | skipped | refused
    detail: str = ""
    record_id: str | None = None

    def __str__(self):
        record = f" -> {self.record_id}" if self.record_id else ""
        return f"{self.outcome:8} {self.ref}{record}{': ' + self.detail if self.detail else ''}"


@dataclass
class ImportReport:
    lines: list[Line] = field(default_factory=list)
    patient_id: str | None = None
    stopped: str | None = None

    def add(self, ref, outcome, detail="", record_id=None) -> Line:
        line = Line(ref, outcome, detail, str(record_id) if record_id else None)
        self.lines.append(line)
        return line

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def errors(self) -> list[Line]:
        return [line for line in self.lines if line.outcome == "refused"]

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(o)} {o}" for o in ("created", "matched", "skipped", "refused"))
        return counts + (f"; stopped: {self.stopped}" if self.stopped else "")


class BundleError(ValueError):
    """The file is not a Bundle this command reads."""


class Bundle:
    """The entries of a Bundle and its references resolved among them:
    `urn:uuid:..` full URLs, `Type/id`, and Synthea's conditional
    `Practitioner?identifier=system|value`."""

    def __init__(self, document: dict):
        if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
            raise BundleError("not a FHIR Bundle (resourceType is not 'Bundle')")
        if document.get("type") not in ("transaction", "collection", "batch", "searchset"):
            raise BundleError(f"a {document.get('type')!r} Bundle: a transaction or collection Bundle is read")
        self.resources: list[tuple[str, dict]] = []
        self.by_ref: dict[str, dict] = {}
        for index, entry in enumerate(document.get("entry") or []):
            resource = (entry or {}).get("resource")
            if not isinstance(resource, dict) or "resourceType" not in resource:
                continue
            full_url = entry.get("fullUrl") or ""
            ref = full_url or (f"{resource['resourceType']}/{resource['id']}" if resource.get("id")
                               else f"entry[{index}]")
            self.resources.append((ref, resource))
            if full_url:
                self.by_ref[full_url] = resource
            if resource.get("id"):
                self.by_ref[f"{resource['resourceType']}/{resource['id']}"] = resource
                self.by_ref[f"urn:uuid:{resource['id']}"] = resource

    def of_type(self, resource_type: str) -> list[tuple[str, dict]]:
        return [(ref, r) for ref, r in self.resources if r["resourceType"] == resource_type]

    def resolve(self, reference: dict | None) -> dict | None:
        value = (reference or {}).get("reference") or ""
        if value in self.by_ref:
            return self.by_ref[value]
        if "?identifier=" in value:
            resource_type, _, query = value.partition("?identifier=")
            system, _, ident = query.partition("|")
            for _, resource in self.of_type(resource_type):
                if any(i.get("system") == system and i.get("value") == ident for i in resource.get("identifier", [])):
                    return resource
        tail = value.rsplit("/", 2)[-2:]
        return self.by_ref.get("/".join(tail)) if len(tail) == 2 else None


def _coding(concept: dict | None, system: str | None = None) -> dict | None:
    for coding in (concept or {}).get("coding") or []:
        if system is None or coding.get("system") == system:
            return coding
    return None


def _text(concept: dict | None) -> str:
    coding = _coding(concept)
    return (concept or {}).get("text") or (coding or {}).get("display") or (coding or {}).get("code") or ""


def _status(concept: dict | None) -> str | None:
    return (_coding(concept) or {}).get("code")


def mrn_of(patient: dict) -> str | None:
    identifiers = patient.get("identifier") or []
    for identifier in identifiers:
        if any(c.get("code") == MR_TYPE for c in (identifier.get("type") or {}).get("coding") or []):
            return identifier.get("value")
    return None


def international_phone(value: str) -> str | None:
    """A phone number in E.164 form; a North American number (Synthea's
    555-201-4455) gets its +1; anything else that is not already
    international is None."""
    digits = re.sub(r"[^0-9]", "", value)
    if value.strip().startswith("+") and 8 <= len(digits) <= 15:
        return "+" + digits
    if len(digits) == 10 and digits[0] not in "01":
        return "+1" + digits
    if len(digits) == 11 and digits[0] == "1":
        return "+" + digits
    return None


def _npi(practitioner: dict) -> str | None:
    return next((i.get("value") for i in practitioner.get("identifier") or [] if i.get("system") == NPI), None)


def _name(resource: dict) -> tuple[str, str]:
    names = resource.get("name") or [{}]
    name = next((n for n in names if n.get("use") == "official"), names[0])
    return " ".join(name.get("given") or []) or "", name.get("family") or ""


def route_of(request: dict, drug_name: str) -> str | None:
    for dosage in request.get("dosageInstruction") or []:
        coding = _coding(dosage.get("route"), SNOMED)
        if coding and coding.get("code") in ROUTES_SNOMED:
            return ROUTES_SNOMED[coding["code"]]
    lowered = drug_name.lower()
    return next((route for word, route in ROUTES_IN_NAME if word in lowered), None)


def frequency_of(request: dict) -> str | None:
    for dosage in request.get("dosageInstruction") or []:
        if dosage.get("asNeededBoolean") or dosage.get("asNeededCodeableConcept"):
            return "as-needed"
        code = _text((dosage.get("timing") or {}).get("code"))
        if code in FREQUENCY_WORDS:  # CareBridge's own export names its frequency so
            return code
        repeat = (dosage.get("timing") or {}).get("repeat") or {}
        key = (repeat.get("frequency", 1), repeat.get("period"), repeat.get("periodUnit"))
        if key[1] is not None:
            period = int(key[1]) if float(key[1]).is_integer() else key[1]
            return FREQUENCIES.get((int(key[0]), period, key[2]))
    return None


def dose_of(request: dict, drug_name: str) -> str | None:
    for dosage in request.get("dosageInstruction") or []:
        for dose_and_rate in dosage.get("doseAndRate") or []:
            quantity = dose_and_rate.get("doseQuantity")
            if quantity and quantity.get("value") is not None:
                value = quantity["value"]
                value = int(value) if float(value).is_integer() else value
                unit = quantity.get("unit") or quantity.get("code") or ""
                if unit and unit != "1":
                    return f"{value} {unit}"
                strength = _strength(drug_name)
                return f"{value} x {strength}" if strength else str(value)
    return _strength(drug_name)


def _strength(drug_name: str) -> str | None:
    found = re.search(r"(\d+(?:\.\d+)?\s*(?:MG|MCG|UNT|ML|MEQ|%)(?:/(?:ML|HR|ACTUAT))?)", drug_name, re.I)
    return found.group(1) if found else None


class Importer:
    """One Bundle into CareBridge as the staff member `cb` signs in as (a
    coordinator: registers patients, keeps the directory, records allergies
    and coverage, drafts care plans)."""

    def __init__(self, cb: CareBridge, *, time_zone: str = "America/New_York", wait: float = 60.0):
        self.cb, self.time_zone, self.wait = cb, time_zone, wait
        self.report = ImportReport()
        self.practitioners: dict[int, str] = {}   # id(resource) -> CareBridge practitioner id
        self.payers = None
        self.team_id: str | None = None

    def eventually(self, attempt):
        """Retry while another service has not yet heard of the patient
        (events are asynchronous)."""
        deadline = time.monotonic() + self.wait
        while True:
            try:
                return attempt()
            except (Forbidden, NotFound, ValidationFailed) as error:
                waiting = not isinstance(error, ValidationFailed) or "care team" in str(error.errors)
                if not waiting or time.monotonic() > deadline:
                    raise error
                time.sleep(0.3)

    def run(self, bundle: Bundle) -> ImportReport:
        step = "the patient"
        try:
            patients = bundle.of_type("Patient")
            if len(patients) != 1:
                for ref, _ in patients:
                    self.report.add(ref, "refused", "a Bundle of one patient is imported; this one has "
                                                    f"{len(patients)}")
                self.report.stopped = f"{len(patients)} Patient resources (one expected)"
                return self.report
            patient_id = self.import_patient(*patients[0])
            if patient_id is None:
                self.report.stopped = "the patient was refused; nothing else was imported"
                for ref, resource in bundle.resources:
                    if resource["resourceType"] != "Patient":
                        self.report.add(ref, "skipped", "its patient was not imported")
                return self.report
            step = "the practitioners"
            for ref, resource in bundle.of_type("Practitioner"):
                self.import_practitioner(ref, resource)
            step = "the care team"
            self.care_team(bundle, patient_id)
            step = "the allergies"
            for ref, resource in bundle.of_type("AllergyIntolerance"):
                self.import_allergy(ref, resource, patient_id)
            step = "the medications and conditions"
            self.import_plan(bundle, patient_id)
            step = "the coverage"
            for ref, resource in bundle.of_type("Coverage"):
                self.import_coverage(ref, resource, patient_id)
            step = "the vital signs"
            observations = bundle.of_type("Observation")
            if observations:
                monitored = self.monitored_measures(patient_id)
                for ref, resource in observations:
                    self.import_observation(ref, resource, patient_id, monitored)
            step = "the rest"
            for ref, resource in bundle.resources:
                kind = resource["resourceType"]
                if kind in ("Encounter", "CarePlan"):
                    self.report.add(ref, "skipped", NOT_KEPT[kind])
                elif kind not in ("Patient", "Practitioner", "AllergyIntolerance", "Coverage", "MedicationRequest",
                                  "Condition", "Observation"):
                    self.report.add(ref, "skipped", f"CareBridge does not import {kind}")
        except Exception as error:  # a connection lost, a service down: say where it stopped
            self.report.stopped = f"while importing {step}: {type(error).__name__}: {error}"
            raise
        return self.report

    # -- each kind -----------------------------------------------------------------------------

    def import_patient(self, ref: str, resource: dict) -> str | None:
        mrn = mrn_of(resource)
        if not mrn:
            self.report.add(ref, "refused", "no MRN (an identifier of type MR): it could not be matched on a "
                                            "second run")
            return None
        found = self.cb.patients.search(mrn=mrn).first()
        if found is not None:
            self.report.patient_id = found.id
            self.report.add(ref, "matched", "MRN already registered", found.id)
            return found.id
        given, family = _name(resource)
        first, _, middle = given.partition(" ")
        sex = resource.get("gender") if resource.get("gender") in ("female", "male", "other", "unknown") else "unknown"
        language = _coding(((resource.get("communication") or [{}])[0]).get("language"))
        fields = {"mrn": mrn, "given_name": first, "family_name": family, "administrative_sex": sex,
                  "birth_date": date.fromisoformat(resource["birthDate"]) if resource.get("birthDate") else None,
                  "time_zone": self.time_zone}
        if middle:
            fields["middle_name"] = middle
        if language and language.get("code"):
            fields["preferred_language"] = language["code"]
        contacts, dropped = [], 0
        for telecom in resource.get("telecom") or []:
            value = telecom.get("value") or ""
            if telecom.get("system") == "phone":
                value = international_phone(value)
            if telecom.get("system") in ("phone", "email") and value:
                contacts.append({"system": telecom["system"], "value": value})
            else:
                dropped += 1
        if contacts:
            fields["contact_points"] = contacts
        try:
            patient = self.cb.patients.register(**fields)
        except ValidationFailed as error:
            self.report.add(ref, "refused", f"patients refused it: {error.errors}")
            return None
        self.report.patient_id = patient.id
        notes = [f"time zone not in FHIR: {self.time_zone} assumed"]
        if dropped:
            notes.append(f"{dropped} contact point(s) not a phone in international form or an email, left out")
        self.report.add(ref, "created", "; ".join(notes), patient.id)
        return patient.id

    def import_practitioner(self, ref: str, resource: dict) -> None:
        npi = _npi(resource)
        if not npi:
            self.report.add(ref, "skipped", "no NPI: it could not be matched on a second run")
            return
        given, family = _name(resource)
        known = next((p for p in self.cb.patients.search_practitioners(q=family or npi) if p.npi == npi), None)
        if known is not None:
            self.practitioners[id(resource)] = known.id
            self.report.add(ref, "matched", "NPI already in the directory", known.id)
            return
        try:
            added = self.cb.patients.add_practitioner(given_name=given, family_name=family, role="physician",
                                                      npi=npi, time_zone=self.time_zone)
        except ValidationFailed as error:
            self.report.add(ref, "refused", f"patients refused it: {error.errors}")
            return
        self.practitioners[id(resource)] = added.id
        self.report.add(ref, "created", "as a physician", added.id)

    def care_team(self, bundle: Bundle, patient_id: str) -> None:
        """The practitioners who prescribed the active medications join the
        patient's care team (a prescriber must be on it), as physicians; a
        team is created when the patient has none."""
        prescribers = []
        for _, request in bundle.of_type("MedicationRequest"):
            requester = bundle.resolve(request.get("requester"))
            practitioner_id = self.practitioners.get(id(requester)) if requester is not None else None
            if request.get("status") == "active" and practitioner_id and practitioner_id not in prescribers:
                prescribers.append(practitioner_id)
        patients = self.cb.patients
        team = patients.search_care_teams(patient_id=patient_id, status="active").first()
        if team is None:
            if not prescribers:
                return
            team = patients.create_care_team(
                patient_id=patient_id, name="Care team (FHIR import)", status="active",
                members=[{"practitioner_id": p, "role": "physician"} for p in prescribers])
        else:
            on_team = {m.practitioner_id for m in team.members or [] if m.active}
            for practitioner_id in prescribers:
                if practitioner_id not in on_team:
                    patients.add_care_team_member(team.id, practitioner_id=practitioner_id, role="physician")
        self.team_id = team.id

    def import_allergy(self, ref: str, resource: dict, patient_id: str) -> None:
        clinical = _status(resource.get("clinicalStatus")) or "active"
        coding = next((c for c in (resource.get("code") or {}).get("coding") or []
                       if c.get("system") in SUBSTANCE_SYSTEMS), None)
        if coding is None:
            self.report.add(ref, "refused", "the substance has no RxNorm, SNOMED CT or UNII code")
            return
        system, code = SUBSTANCE_SYSTEMS[coding["system"]], coding["code"]
        known = next((a for a in self.cb.patients.list_allergies(patient_id)
                      if a.substance_system == system and a.substance_code == code), None)
        if known is not None:
            self.report.add(ref, "matched", f"{system} {code} already recorded", known.id)
            return
        fields = {"substance_code": code, "substance_system": system,
                  "substance_name": coding.get("display") or _text(resource.get("code")) or code,
                  "clinical_status": clinical}
        verification = _status(resource.get("verificationStatus"))
        if verification:
            fields["verification_status"] = verification
        category = next((c for c in resource.get("category") or [] if c in ALLERGY_CATEGORIES), None)
        if category:
            fields["category"] = category
        if resource.get("criticality") in ("low", "high", "unable-to-assess"):
            fields["criticality"] = resource["criticality"]
        reaction = (resource.get("reaction") or [{}])[0]
        if reaction.get("severity") in ("mild", "moderate", "severe"):
            fields["severity"] = reaction["severity"]
        if reaction.get("manifestation"):
            fields["reaction"] = _text(reaction["manifestation"][0])[:200]
        if (resource.get("onsetDateTime") or "")[:10]:
            fields["onset_date"] = date.fromisoformat(resource["onsetDateTime"][:10])
        try:
            allergy = self.cb.patients.record_allergy(patient_id, **fields)
        except ValidationFailed as error:
            self.report.add(ref, "refused", f"patients refused it: {error.errors}")
            return
        self.report.add(ref, "created", f"{system} {code}", allergy.id)

    def _medication(self, bundle: Bundle, ref: str, request: dict) -> dict | None:
        concept = request.get("medicationCodeableConcept")
        if concept is None and request.get("medicationReference"):
            concept = (bundle.resolve(request["medicationReference"]) or {}).get("code")
        coding = _coding(concept, RXNORM)
        if coding is None:
            self.report.add(ref, "refused", "no RxNorm code: the safety checks could not look at it")
            return None
        name = _text(concept) or coding.get("display") or coding["code"]
        route, frequency, dose = route_of(request, name), frequency_of(request), dose_of(request, name)
        missing = [what for what, value in (("route", route), ("frequency", frequency), ("dose", dose)) if not value]
        if missing:
            self.report.add(ref, "refused", f"RxNorm {coding['code']}: no {', '.join(missing)} CareBridge can "
                                            "read in its dosage instruction")
            return None
        medication = {"name": name[:200], "rxnorm_code": coding["code"], "dose": dose, "route": route,
                      "frequency": frequency}
        requester = bundle.resolve(request.get("requester"))
        if requester is not None and id(requester) in self.practitioners:
            medication["prescriber_id"] = self.practitioners[id(requester)]
        if request.get("dosageInstruction") and request["dosageInstruction"][0].get("asNeededBoolean"):
            medication["as_needed"] = True
        return medication

    def import_plan(self, bundle: Bundle, patient_id: str) -> None:
        wanted: list[tuple[str, dict]] = []
        for ref, request in bundle.of_type("MedicationRequest"):
            if request.get("status") != "active":
                self.report.add(ref, "skipped", f"status {request.get('status')}: only active medications go on "
                                                "the care plan")
                continue
            medication = self._medication(bundle, ref, request)
            if medication is not None:
                wanted.append((ref, medication))
        conditions: list[tuple[str, dict]] = []
        for ref, condition in bundle.of_type("Condition"):
            coding = _coding(condition.get("code"), SNOMED)
            if _status(condition.get("clinicalStatus")) not in ("active", "recurrence", "relapse"):
                self.report.add(ref, "skipped", NOT_KEPT["Condition"])
            elif coding is None:
                self.report.add(ref, "refused", "no SNOMED CT code")
            else:
                conditions.append((ref, {"system": "snomed-ct", "code": coding["code"],
                                         "display": coding.get("display") or _text(condition.get("code"))}))
        if not wanted and not conditions:
            return
        careplans = self.cb.careplans
        existing = next((p for p in self.eventually(lambda: list(careplans.list(patient_id=patient_id)))
                         if p.title == PLAN_TITLE and p.status in ("draft", "active", "on-hold")), None)
        plan = careplans.get(existing.id) if existing else None
        have_codes = {a.medication.rxnorm_code for a in (plan.activities or []) if a.medication} if plan else set()
        have_conditions = {(c.system, c.code) for c in (plan.conditions or [])} if plan else set()
        new_meds = []
        for ref, medication in wanted:
            if medication["rxnorm_code"] in have_codes or any(m["rxnorm_code"] == medication["rxnorm_code"]
                                                              for _, m in new_meds):
                self.report.add(ref, "matched", f"RxNorm {medication['rxnorm_code']} already on the imported plan",
                                plan.id if plan else None)
            else:
                new_meds.append((ref, medication))
        new_conditions = []
        for ref, condition in conditions:
            key = (condition["system"], condition["code"])
            if key in have_conditions or any((c["system"], c["code"]) == key for _, c in new_conditions):
                self.report.add(ref, "matched", f"SNOMED CT {condition['code']} already on the imported plan",
                                plan.id if plan else None)
            else:
                new_conditions.append((ref, condition))
        if not new_meds and not new_conditions:
            return
        while True:
            activities = [{"kind": "medication", "medication": m} for _, m in new_meds]
            try:
                if plan is None:
                    plan = self.eventually(lambda: careplans.create(
                        patient_id=patient_id, title=PLAN_TITLE, status="draft",
                        care_team_id=self.team_id or UNSET,
                        period={"start": date.today().isoformat()},
                        description="The active medications and conditions of an imported FHIR record, "
                                    "to be reviewed by the care team.",
                        activities=activities, conditions=[c for _, c in new_conditions]))
                else:
                    plan = careplans.revise(plan, reason="FHIR import", activities=activities,
                                            conditions=[*(plan.conditions or []), *(c for _, c in new_conditions)])
                break
            except MedicationSafetyRefusal as refusal:
                # What refused the change: the blocking findings (a "not-checked" note on a drug the
                # checker does not know refuses nothing by itself).
                blocking = [f for f in refusal.findings if f.get("blocking", True)]
                named = {code for finding in blocking for code in finding.get("rxnorm_codes") or []}
                refused = [(ref, m) for ref, m in new_meds if m["rxnorm_code"] in named] or list(new_meds)
                for ref, medication in refused:
                    kinds = sorted({f"{f.get('kind')} ({f.get('severity')})" for f in blocking
                                    if medication["rxnorm_code"] in (f.get("rxnorm_codes") or [])})
                    self.report.add(ref, "refused", f"RxNorm {medication['rxnorm_code']}: the medication safety "
                                                    f"check refused it: {', '.join(kinds) or refusal}")
                new_meds = [item for item in new_meds if item not in refused]
                if not new_meds and not new_conditions:
                    return
            except ValidationFailed as error:
                for ref, _ in [*new_meds, *new_conditions]:
                    self.report.add(ref, "refused", f"careplans refused the plan: {error.errors}")
                return
        for ref, medication in new_meds:
            self.report.add(ref, "created", f"RxNorm {medication['rxnorm_code']} on draft plan", plan.id)
        for ref, condition in new_conditions:
            self.report.add(ref, "created", f"SNOMED CT {condition['code']} on draft plan", plan.id)

    def monitored_measures(self, patient_id: str) -> set[str]:
        """The measures of the patient's active monitoring enrolments."""
        enrolments = self.cb.monitoring.list_enrolments(patient_id=patient_id, status="active")
        return {measure for enrolment in enrolments for measure in enrolment.measures}

    def import_observation(self, ref: str, resource: dict, patient_id: str, monitored: set[str]) -> None:
        reading = vital_sign_of(resource)
        if isinstance(reading, str):
            self.report.add(ref, "skipped", reading)
            return
        if reading["measure"] not in monitored:
            self.report.add(ref, "skipped", f"the patient is not enrolled in remote monitoring for "
                                            f"{reading['measure']}")
            return
        try:
            stored = self.cb.monitoring.record_reading(patient_id=patient_id, **reading)
        except Conflict:
            self.report.add(ref, "matched", f"{reading['measure']} reading already stored")
            return
        except ValidationFailed as error:
            self.report.add(ref, "refused", f"{reading['measure']}: {_fields(error)}")
            return
        self.report.add(ref, "created", f"{reading['measure']} reading", stored.id)

    def import_coverage(self, ref: str, resource: dict, patient_id: str) -> None:
        member_id = resource.get("subscriberId") or next(
            (i.get("value") for i in resource.get("identifier") or []
             if any(c.get("code") == "MB" for c in (i.get("type") or {}).get("coding") or [])), None)
        payor = (resource.get("payor") or [{}])[0]
        billing = self.cb.billing
        if self.payers is None:
            self.payers = list(billing.list_payers())
        names = {(payor.get("identifier") or {}).get("value"), payor.get("display")} - {None, ""}
        directory_payer = next((p for p in self.payers for name in names
                                if name.casefold() in (p.payer_id.casefold(), p.name.casefold())), None)
        if directory_payer is None:
            self.report.add(ref, "refused", f"payer {sorted(names) or '(none)'} is not in CareBridge's payer "
                                            "directory (GET /payers)")
            return
        payer = directory_payer.payer_id
        plan_names = [c.get("value") for c in resource.get("class") or []
                      if (_coding(c.get("type")) or {}).get("code") == "plan" and c.get("value")]
        plan_names += [n for n in (_text(resource.get("type")),) if n]
        plan_id = next((plan.plan_id for name in plan_names for plan in directory_payer.plans
                        if name.casefold() in (plan.plan_id.casefold(), plan.name.casefold())), None)
        if plan_id is None and len(directory_payer.plans) == 1:
            plan_id = directory_payer.plans[0].plan_id
        costs = {}
        for cost in resource.get("costToBeneficiary") or []:
            kind = (_coding(cost.get("type")) or {}).get("code") or _text(cost.get("type"))
            costs[kind] = cost.get("valueMoney") or cost.get("valueQuantity")
        missing = [what for what, value in (("member id", member_id), ("plan", plan_id),
                                            ("deductible", costs.get("deductible")),
                                            ("out-of-pocket maximum", costs.get("maxoutofpocket")),
                                            ("coinsurance", costs.get("coinsurance"))) if not value]
        if missing:
            self.report.add(ref, "refused", f"billing needs the {', '.join(missing)}, which the Coverage does not "
                                            f"give (or not as a plan of {payer} in the payer directory): record it "
                                            "by hand")
            return
        known = next((c for c in self.eventually(lambda: list(billing.list_coverages(patient_id=patient_id)))
                      if c.member_id == member_id and c.payer_id == payer), None)
        if known is not None:
            self.report.add(ref, "matched", "member id already recorded for this payer", known.id)
            return
        start = ((resource.get("period") or {}).get("start") or "")[:10]
        end = ((resource.get("period") or {}).get("end") or "")[:10]
        fields = {"patient_id": patient_id, "payer_id": payer, "plan_id": plan_id, "member_id": member_id,
                  "effective_start": date.fromisoformat(start) if start else date.today(),
                  "coinsurance_percent": _number(costs["coinsurance"].get("value")),
                  "deductible": _money(costs["deductible"]), "out_of_pocket_max": _money(costs["maxoutofpocket"])}
        if end:
            fields["effective_end"] = date.fromisoformat(end)
        relationship = _status(resource.get("relationship"))
        if relationship in ("self", "spouse", "child", "other"):
            fields["relationship"] = relationship
        order = {1: "primary", 2: "secondary", 3: "tertiary"}.get(resource.get("order"))
        if order:
            fields["order"] = order
        group = next((c.get("value") for c in resource.get("class") or []
                      if (_coding(c.get("type")) or {}).get("code") == "group"), None)
        if group:
            fields["group_id"] = group
        # Copays per billing category (as CareBridge's own export writes them: the category as the text).
        copays = {cost["type"]["text"]: _money(cost["valueMoney"]) for cost in resource.get("costToBeneficiary") or []
                  if (_coding(cost.get("type")) or {}).get("code") == "copay" and cost.get("valueMoney")
                  and (cost.get("type") or {}).get("text") in BILLING_CATEGORIES}
        if copays:
            fields["copays"] = copays
        left_out = sum(1 for cost in resource.get("costToBeneficiary") or []
                       if (_coding(cost.get("type")) or {}).get("code") == "copay") - len(copays)
        try:
            coverage = self.eventually(lambda: billing.record_coverage(**fields))
        except ValidationFailed as error:
            self.report.add(ref, "refused", f"billing refused it: {error.errors}")
            return
        note = f"; {left_out} copay(s) of no billing category left out" if left_out else ""
        self.report.add(ref, "created", f"payer {payer}, plan {plan_id}{note}", coverage.id)


def _loinc_codes(concept: dict | None) -> list[str]:
    return [c.get("code") for c in (concept or {}).get("coding", []) if c.get("system") == LOINC]


def _quantity(value: dict | None) -> tuple[float, str] | None:
    if not value or value.get("value") is None or not (value.get("code") or value.get("unit")):
        return None
    return float(value["value"]), value.get("code") or value["unit"]


def vital_sign_of(resource: dict) -> dict | str:
    """A vital-sign Observation as monitoring's reading (measure, value,
    unit, taken_at, and diastolic for blood pressure), or why it is not one."""
    if resource.get("status") not in ("final", "amended", "corrected"):
        return f"status {resource.get('status')}: only final observations are imported"
    codes = _loinc_codes(resource.get("code"))
    measure = next((VITAL_SIGNS[code] for code in codes if code in VITAL_SIGNS), None)
    if measure is None:
        if SYSTOLIC in codes or DIASTOLIC in codes:
            return "a systolic or diastolic pressure alone: monitoring stores both (the 85354-9 panel)"
        return "not a vital sign monitoring records (LOINC): observations are not imported otherwise"
    taken = resource.get("effectiveDateTime") or (resource.get("effectivePeriod") or {}).get("start")
    if not taken:
        return "no effectiveDateTime: when it was taken is unknown"
    reading = {"measure": measure, "taken_at": taken}
    if measure == "blood-pressure":
        parts = {code: _quantity(c.get("valueQuantity")) for c in resource.get("component", [])
                 for code in _loinc_codes(c.get("code"))}
        if not parts.get(SYSTOLIC) or not parts.get(DIASTOLIC):
            return "a blood pressure panel without both systolic (8480-6) and diastolic (8462-4) values"
        (reading["value"], reading["unit"]), reading["diastolic"] = parts[SYSTOLIC], parts[DIASTOLIC][0]
    else:
        found = _quantity(resource.get("valueQuantity"))
        if found is None:
            return "no valueQuantity with a UCUM unit"
        reading["value"], reading["unit"] = found
    return reading


def _fields(error: ValidationFailed) -> str:
    errors = getattr(error, "errors", None) or {}
    return "; ".join(f"{name}: {why}" for name, why in errors.items()) if isinstance(errors, dict) else str(error)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _number(value) -> str:
    return format(value, "g") if isinstance(value, float) else str(value)


def _money(value: dict) -> dict:
    return {"amount": f"{float(value['value']):.2f}", "currency": value.get("currency", "USD")}


def import_bundle(cb: CareBridge, document: dict, *, time_zone: str = "America/New_York",
                  wait: float = 60.0) -> ImportReport:
    """Import one Bundle (a parsed JSON document); the report says what
    became of each resource."""
    return Importer(cb, time_zone=time_zone, wait=wait).run(Bundle(document))


def main(argv=None, *, base_urls: dict | None = None) -> int:
    """`carebridge fhir import BUNDLE.json [--token T] [--time-zone TZ]`."""
    import os
    parser = argparse.ArgumentParser(prog="carebridge fhir import", description=__doc__.splitlines()[0])
    parser.add_argument("bundle", help="a FHIR R4 transaction or collection Bundle (JSON)")
    parser.add_argument("--token", help="a coordinator's bearer token (default: CAREBRIDGE_TOKEN)")
    parser.add_argument("--time-zone", default="America/New_York",
                        help="the patient's and new practitioners' time zone (FHIR has none)")
    parser.add_argument("--base-url", action="append", default=[], metavar="SERVICE=URL")
    parser.add_argument("--wait", type=float, default=60.0,
                        help="seconds to wait for the services to hear of the new patient")
    args = parser.parse_args(argv)
    token = args.token or os.environ.get("CAREBRIDGE_TOKEN", "")
    if not token:
        print("carebridge fhir import needs a coordinator's bearer token (--token or CAREBRIDGE_TOKEN)",
              file=sys.stderr)
        return 2
    urls = dict(base_urls or {})
    for item in args.base_url:
        service, _, url = item.partition("=")
        urls[service] = url
    try:
        with open(args.bundle, encoding="utf-8") as handle:
            document = json.load(handle)
        bundle = Bundle(document)
    except (OSError, ValueError) as error:
        print(f"carebridge fhir import: {args.bundle}: {error}", file=sys.stderr)
        return 2
    importer = Importer(CareBridge(urls or None, StaticToken(token)), time_zone=args.time_zone, wait=args.wait)
    failed = None
    try:
        importer.run(bundle)
    except Exception as error:  # noqa: BLE001 - reported below with what was done before it
        failed = error
    report = importer.report
    for line in report.lines:
        print(line)
    print(f"{args.bundle}: patient {report.patient_id or '-'}: {report.summary()}", file=sys.stderr)
    if failed is not None:
        return 1
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
