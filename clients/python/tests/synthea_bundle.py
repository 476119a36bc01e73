"""A FHIR R4 transaction Bundle in the shape the Synthea generator writes:
every entry's fullUrl an `urn:uuid:`, references between entries by those
URNs, practitioners referenced conditionally by NPI, several encounters,
conditions, medications (active and stopped), allergies, observations, a
Synthea care plan and a coverage with its cost sharing."""
from __future__ import annotations

import uuid

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
NPI = "http://hl7.org/fhir/sid/us-npi"
SYNTHEA = "https://github.com/synthetichealth/synthea"
# (RxNorm, Synthea's text, frequency per day, status)
MEDICATIONS = [("314076", "lisinopril 10 MG Oral Tablet", 1, "active"),
               ("860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet", 2, "active"),
               ("617310", "atorvastatin 20 MG Oral Tablet", 1, "active"),
               ("308136", "amLODIPine 2.5 MG Oral Tablet", 1, "stopped")]
# (system, code, display, category, criticality)
ALLERGIES = [(SNOMED, "91935009", "Allergy to peanuts", "food", "high"),
             (RXNORM, "7980", "Penicillin G", "medication", "low")]


def _uuid() -> str:
    return str(uuid.uuid4())


def npi_of(base: str) -> str:
    """A valid NPI: nine digits and the Luhn check digit over them with the
    80840 prefix."""
    total = 0
    for index, char in enumerate(reversed("80840" + base)):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return base + str((10 - total % 10) % 10)


def _entry(resource: dict) -> dict:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource,
            "request": {"method": "POST", "url": resource["resourceType"]}}


def synthea_bundle(tag: str, *, bundle_type: str = "transaction") -> dict:
    """One patient's record; `tag` makes its MRN, NPI and member id unique."""
    patient_id, npi = _uuid(), npi_of(str(100000000 + int(tag, 16) % 899999999))
    patient = {
        "resourceType": "Patient", "id": patient_id,
        "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},
        "identifier": [
            {"system": SYNTHEA, "value": patient_id},
            {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR",
                                  "display": "Medical Record Number"}], "text": "Medical Record Number"},
             "system": "http://hospital.smarthealthit.org", "value": f"SYN-{tag}"},
            {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "SS"}]},
             "system": "http://hl7.org/fhir/sid/us-ssn", "value": "999-12-3456"}],
        "name": [{"use": "official", "family": f"Quiñones{tag}", "given": ["Adélaïde852", "Zoë"], "prefix": ["Mrs."]}],
        "telecom": [{"system": "phone", "value": "555-201-4455", "use": "home"}],
        "gender": "female", "birthDate": "1948-03-17",
        "address": [{"line": ["742 Ankunding Mill"], "city": "Boston", "state": "MA", "postalCode": "02130",
                     "country": "US"}],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "es",
                                                    "display": "Spanish"}], "text": "Spanish"}}],
    }
    practitioner = {"resourceType": "Practitioner", "id": _uuid(),
                    "identifier": [{"system": NPI, "value": npi}], "active": True,
                    "name": [{"family": f"Kertzmann{tag}", "given": ["Jerrold404"], "prefix": ["Dr."]}],
                    "gender": "male"}
    practitioner_ref = {"reference": f"Practitioner?identifier={NPI}|{npi}", "display": "Dr. Jerrold404"}
    subject = {"reference": f"urn:uuid:{patient_id}"}
    entries = [patient, practitioner]
    encounters = []
    for when in ("2024-02-03", "2024-08-19", "2025-03-11"):
        encounter = {"resourceType": "Encounter", "id": _uuid(), "status": "finished",
                     "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                     "type": [{"coding": [{"system": SNOMED, "code": "185349003",
                                           "display": "Encounter for check up"}]}],
                     "subject": subject,
                     "participant": [{"individual": practitioner_ref}],
                     "period": {"start": f"{when}T09:00:00-05:00", "end": f"{when}T09:30:00-05:00"}}
        encounters.append(encounter)
        entries.append(encounter)
    first_visit = {"reference": f"urn:uuid:{encounters[0]['id']}"}
    for code, display, status in (("44054006", "Diabetes mellitus type 2 (disorder)", "active"),
                                  ("59621000", "Essential hypertension (disorder)", "active"),
                                  ("444814009", "Viral sinusitis (disorder)", "resolved")):
        entries.append({"resourceType": "Condition", "id": _uuid(),
                        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                                 "condition-clinical", "code": status}]},
                        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                                     "condition-ver-status", "code": "confirmed"}]},
                        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                            "condition-category", "code": "encounter-diagnosis"}]}],
                        "code": {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": display},
                        "subject": subject, "encounter": first_visit, "onsetDateTime": "2024-02-03T09:00:00-05:00"})
    for system, code, display, category, criticality in ALLERGIES:
        entries.append({"resourceType": "AllergyIntolerance", "id": _uuid(),
                        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                                 "allergyintolerance-clinical", "code": "active"}]},
                        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                                     "allergyintolerance-verification",
                                                           "code": "confirmed"}]},
                        "type": "allergy", "category": [category], "criticality": criticality,
                        "code": {"coding": [{"system": system, "code": code, "display": display}], "text": display},
                        "patient": subject, "recordedDate": "2024-02-03T09:00:00-05:00",
                        "reaction": [{"manifestation": [{"coding": [{"system": SNOMED, "code": "247472004",
                                                                     "display": "Wheal (finding)"}]}],
                                      "severity": "moderate"}]})
    for code, text, per_day, status in MEDICATIONS:
        entries.append({"resourceType": "MedicationRequest", "id": _uuid(), "status": status, "intent": "order",
                        "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": code, "display": text}],
                                                      "text": text},
                        "subject": subject, "encounter": first_visit, "authoredOn": "2024-02-03T09:00:00-05:00",
                        "requester": practitioner_ref,
                        "dosageInstruction": [{"sequence": 1, "asNeededBoolean": False,
                                               "timing": {"repeat": {"frequency": per_day, "period": 1.0,
                                                                     "periodUnit": "d"}},
                                               "doseAndRate": [{"type": {"coding": [{
                                                   "system": "http://terminology.hl7.org/CodeSystem/dose-rate-type",
                                                   "code": "ordered"}]}, "doseQuantity": {"value": 1.0}}]}]})
    entries.append({"resourceType": "CarePlan", "id": _uuid(), "status": "active", "intent": "order",
                    "category": [{"coding": [{"system": SNOMED, "code": "698360004",
                                              "display": "Diabetes self management plan"}]}],
                    "subject": subject, "encounter": first_visit, "period": {"start": "2024-02-03T09:00:00-05:00"},
                    "activity": [{"detail": {"code": {"coding": [{"system": SNOMED, "code": "160670007",
                                                                  "display": "Diabetic diet"}]},
                                             "status": "in-progress"}}]})
    for encounter in encounters:
        for loinc, display, value, unit in (("8480-6", "Systolic blood pressure", 132, "mm[Hg]"),
                                            ("29463-7", "Body weight", 71.4, "kg")):
            entries.append({"resourceType": "Observation", "id": _uuid(), "status": "final",
                            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                                "observation-category", "code": "vital-signs"}]}],
                            "code": {"coding": [{"system": LOINC, "code": loinc, "display": display}]},
                            "subject": subject, "encounter": {"reference": f"urn:uuid:{encounter['id']}"},
                            "effectiveDateTime": encounter["period"]["start"],
                            "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org",
                                              "code": unit}})
    entries.append({"resourceType": "Coverage", "id": _uuid(), "status": "active",
                    "type": {"text": "Medicare"},
                    "subscriberId": f"1EG4-{tag}",
                    "beneficiary": subject,
                    "relationship": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                           "subscriber-relationship", "code": "self"}]},
                    "period": {"start": "2024-01-01"},
                    "payor": [{"display": "Medicare"}],
                    "class": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-class",
                                                    "code": "plan"}]}, "value": "Medicare Part B"}],
                    "costToBeneficiary": [
                        {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-copay-type",
                                              "code": "copay"}], "text": "specialist"},
                         "valueMoney": {"value": 40.0, "currency": "USD"}},
                        {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-copay-type",
                                              "code": "deductible"}]},
                         "valueMoney": {"value": 1500.0, "currency": "USD"}},
                        {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-copay-type",
                                              "code": "maxoutofpocket"}]},
                         "valueMoney": {"value": 6000.0, "currency": "USD"}},
                        {"type": {"text": "coinsurance"},
                         "valueQuantity": {"value": 20, "unit": "%", "system": "http://unitsofmeasure.org",
                                           "code": "%"}}]})
    return {"resourceType": "Bundle", "type": bundle_type, "entry": [_entry(resource) for resource in entries]}
