"""Mappings from the patients service's rows to FHIR R4 (US Core where it
has a profile): Patient, RelatedPerson, Practitioner, PractitionerRole,
CareTeam, AllergyIntolerance and Consent. Plain functions of one row each;
no access rules, no Flask."""
from __future__ import annotations

from carebridge.fhir.elements import (codeable, coding, compact, fhir_date, instant, meta, period, reference)

MRN_SYSTEM = "urn:carebridge:mrn"
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_CATEGORY = "http://loinc.org"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"

# The family's relationship in HL7's RoleCode.
RELATIONSHIP_CODES = {"spouse": ("SPS", "spouse"), "partner": ("DOMPART", "domestic partner"),
                      "daughter": ("DAU", "natural daughter"), "son": ("SON", "natural son"),
                      "parent": ("PRN", "parent"), "sibling": ("SIB", "sibling"),
                      "grandchild": ("GRNDCHILD", "grandchild"), "guardian": ("GUARD", "guardian"),
                      "friend": ("FRND", "unrelated friend"), "caregiver": ("CAREGIVER", "caregiver"),
                      "other": ("O", "other")}
# Care-team roles in SNOMED CT (the CareTeam participant role value set).
CARE_TEAM_ROLE_CODES = {"coordinator": ("768730001", "Case manager"), "nurse": ("106292003", "Professional nurse"),
                        "physician": ("309343006", "Physician"), "specialist": ("309343006", "Physician"),
                        "therapist": ("36682004", "Physiotherapist"), "pharmacist": ("46255001", "Pharmacist"),
                        "social-worker": ("106328005", "Social worker")}
PATIENT_CONSENT_PURPOSES = {"appointments": "Appointments and reminders", "care_plan": "The care plan",
                            "billing": "Bills and insurance"}


def _telecom(contact_points) -> list[dict]:
    found = []
    for point in contact_points or []:
        system = "phone" if point.get("system") == "sms" else point.get("system")
        use = point.get("use")
        found.append({"system": system, "value": point.get("value"),
                      "use": use if use in ("home", "work", "temp", "old", "mobile") else None})
    return found


def _address(address) -> list[dict]:
    if not address:
        return []
    return [{"use": address.get("use"), "line": address.get("lines"), "city": address.get("city"),
             "state": address.get("state"), "postalCode": address.get("postal_code"),
             "country": address.get("country")}]


def _language(tag: str | None) -> list[dict]:
    if not tag:
        return []
    return [{"language": codeable(coding("bcp47", tag)), "preferred": True}]


def patient_resource(patient) -> dict:
    names = [{"use": "official", "family": patient.family_name,
              "given": [n for n in (patient.given_name, patient.middle_name) if n]}]
    if patient.preferred_name:
        names.append({"use": "usual", "given": [patient.preferred_name]})
    return compact({
        "resourceType": "Patient",
        "id": str(patient.id),
        "meta": meta(patient.version, patient.updated_at, US_CORE + "us-core-patient"),
        "identifier": [{"use": "usual", "type": codeable(coding(
            "http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number")),
            "system": MRN_SYSTEM, "value": patient.mrn}],
        "active": patient.status == "active",
        "name": names,
        "telecom": _telecom(patient.contact_points),
        "gender": patient.administrative_sex,
        "birthDate": fhir_date(patient.birth_date),
        "deceasedDateTime": instant(patient.deceased_at),
        "deceasedBoolean": True if patient.status == "deceased" and patient.deceased_at is None else None,
        "address": _address(patient.address),
        "communication": _language(patient.preferred_language),
    })


def related_person_resource(person) -> dict:
    code, display = RELATIONSHIP_CODES.get(person.relationship, ("O", "other"))
    return compact({
        "resourceType": "RelatedPerson",
        "id": str(person.id),
        "meta": meta(person.version, person.updated_at),
        "active": person.active,
        "patient": reference("Patient", person.patient_id),
        "relationship": [codeable(coding(ROLE_CODE, code, display), text=person.relationship)],
        "name": [{"family": person.family_name, "given": [person.given_name]}],
        "telecom": _telecom(person.contact_points),
        "communication": _language(person.preferred_language),
    })


def consent_resource(person) -> dict:
    """What a family member may be told (recorded on the RelatedPerson): one
    Consent, whose provisions permit each category consented to."""
    consent = person.consent
    withdrawn = consent.withdrawn_at is not None
    granted = [name for name in PATIENT_CONSENT_PURPOSES if getattr(consent, name)]
    return compact({
        "resourceType": "Consent",
        "id": str(person.id),
        "meta": meta(person.version, person.updated_at),
        "status": "inactive" if withdrawn else "active",
        "scope": codeable(coding(CONSENT_SCOPE, "patient-privacy", "Privacy Consent")),
        "category": [codeable(coding(CONSENT_CATEGORY, "59284-0", "Patient Consent"))],
        "patient": reference("Patient", person.patient_id),
        "dateTime": instant(consent.recorded_at),
        "performer": [reference("Patient", person.patient_id)],
        "policyRule": codeable(coding(ACT_CODE, "INFA", "information access")),
        "provision": {
            "type": "deny" if withdrawn else "permit",
            "period": period(consent.recorded_at, consent.withdrawn_at),
            "actor": [{"role": codeable(coding(PARTICIPATION, "IRCP", "information recipient")),
                       "reference": reference("RelatedPerson", person.id)}],
            "provision": [{"type": "permit", "code": [codeable(coding("carebridge-disclosure", name,
                                                                       PATIENT_CONSENT_PURPOSES[name]))]}
                          for name in granted] if not withdrawn else [],
        },
    })


def practitioner_resource(practitioner) -> dict:
    return compact({
        "resourceType": "Practitioner",
        "id": str(practitioner.id),
        "meta": meta(practitioner.version, practitioner.updated_at, US_CORE + "us-core-practitioner"),
        "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": practitioner.npi}]
        if practitioner.npi else [],
        "active": practitioner.active,
        "name": [{"family": practitioner.family_name, "given": [practitioner.given_name]}],
        "telecom": _telecom(practitioner.contact_points),
        "communication": [codeable(coding("bcp47", practitioner.preferred_language))],
    })


def practitioner_role_resource(practitioner) -> dict:
    """Each practitioner's one role in CareBridge (same id as the practitioner)."""
    code, display = CARE_TEAM_ROLE_CODES.get(practitioner.role, (None, None))
    return compact({
        "resourceType": "PractitionerRole",
        "id": str(practitioner.id),
        "meta": meta(practitioner.version, practitioner.updated_at),
        "active": practitioner.active,
        "practitioner": reference("Practitioner", practitioner.id),
        "code": [codeable(coding("http://snomed.info/sct", code, display) if code else None,
                          text=practitioner.role)],
        "specialty": [codeable(text=practitioner.specialty)] if practitioner.specialty else [],
    })


def care_team_resource(team) -> dict:
    participants = []
    for member in team.memberships:
        code, display = CARE_TEAM_ROLE_CODES.get(member.role, (None, None))
        participants.append({
            "role": [codeable(coding("http://snomed.info/sct", code, display) if code else None, text=member.role)],
            "member": reference("Practitioner", member.practitioner_id),
            "period": period(member.period_start, member.period_end),
        })
    return compact({
        "resourceType": "CareTeam",
        "id": str(team.id),
        "meta": meta(team.version, team.updated_at, US_CORE + "us-core-careteam"),
        "status": team.status,
        "category": [codeable(text=team.category)] if team.category else [],
        "name": team.name,
        "subject": reference("Patient", team.patient_id),
        "participant": participants,
        "managingOrganization": [],
        "note": [],
    })


def allergy_resource(allergy) -> dict:
    substance = coding(allergy.substance_system, allergy.substance_code, allergy.substance_name)
    return compact({
        "resourceType": "AllergyIntolerance",
        "id": str(allergy.id),
        "meta": meta(allergy.version, allergy.updated_at, US_CORE + "us-core-allergyintolerance"),
        "clinicalStatus": None if allergy.verification_status == "entered-in-error" else codeable(
            coding(ALLERGY_CLINICAL, allergy.clinical_status)),
        "verificationStatus": codeable(coding(ALLERGY_VERIFICATION, allergy.verification_status)),
        "category": [allergy.category],
        "criticality": allergy.criticality,
        "code": codeable(substance, text=allergy.substance_name),
        "patient": reference("Patient", allergy.patient_id),
        "onsetDateTime": fhir_date(allergy.onset_date),
        "recordedDate": instant(allergy.recorded_at),
        "recorder": reference("Practitioner", allergy.recorded_by),
        "reaction": [{"manifestation": [codeable(text=allergy.reaction)], "severity": allergy.severity}]
        if allergy.reaction else [],
    })
