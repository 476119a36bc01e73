"""Examples of request and response bodies for the OpenAPI document (and so
for the generated client's documentation). A kit test loads every request
example through its operation's schema and checks every response example
against the documented one, so these stay true to the API. The people are
made up."""
from __future__ import annotations

PATIENT_ID = "8a1f6c2e-4b7d-4f0a-9c3e-2d5b7e9f1a04"
PERSON_ID = "3c9e7a51-0d2b-4e6f-8a17-5b4c2d1e0f93"
ALLERGY_ID = "f0b3d8a2-6c41-4e9d-b2a7-91c5e3d4a6b8"
TEAM_ID = "5d7a2c94-1e3f-4b60-8d2a-c7e9f0b1a3d5"
MEMBERSHIP_ID = "b6e1f4a3-2c5d-4978-a0b1-d3c2e5f6a7b9"
COORDINATOR_ID = "2f4e6a8c-1b3d-4f5a-9c7e-0d2b4f6a8c1e"
NURSE_ID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
CREATED_AT = "2026-03-02T14:00:00+00:00"
CHANGED_AT = "2026-03-09T10:30:00+00:00"

COMMUNICATION = {"preferred_channel": "inapp", "quiet_hours_start": "21:00", "quiet_hours_end": "08:00",
                 "sms_consent": False}
NEW_PATIENT = {
    "mrn": "MRN-004217",
    "given_name": "Maria",
    "family_name": "Gonzalez",
    "birth_date": "1958-04-12",
    "administrative_sex": "female",
    "contact_points": [{"system": "phone", "value": "+15551234567", "use": "mobile"}],
    "address": {"use": "home", "lines": ["12 Elm Street"], "city": "Springfield", "state": "IL",
                "postal_code": "62704", "country": "US"},
    "preferred_language": "es-MX",
    "time_zone": "America/Chicago",
    "communication": COMMUNICATION,
    "clinical_setting": "outpatient-clinic",
}
PATIENT = {
    **NEW_PATIENT,
    "id": PATIENT_ID,
    "middle_name": None,
    "preferred_name": None,
    "gender_identity": None,
    "status": "active",
    "deceased_at": None,
    "version": 1,
    "created_at": CREATED_AT,
    "updated_at": CREATED_AT,
}
PATIENT_CHANGES = {"preferred_name": "Mari",
                   "contact_points": [{"system": "phone", "value": "+15557654321", "use": "home"}]}
CHANGED_PATIENT = {**PATIENT, **PATIENT_CHANGES, "version": 2, "updated_at": CHANGED_AT}
PATIENT_STATUS = {"status": "inactive"}
INACTIVE_PATIENT = {**PATIENT, "status": "inactive", "version": 2, "updated_at": CHANGED_AT}

CONSENT_SCOPES = {"appointments": True, "care_plan": True, "billing": False}
NEW_RELATED_PERSON = {
    "given_name": "Luis",
    "family_name": "Gonzalez",
    "relationship": "son",
    "contact_points": [{"system": "sms", "value": "+15559876543", "use": "mobile"}],
    "preferred_language": "en",
    "time_zone": "America/Chicago",
    "communication": {"preferred_channel": "sms", "quiet_hours_start": None, "quiet_hours_end": None,
                      "sms_consent": True},
    "consent": CONSENT_SCOPES,
}
RELATED_PERSON = {
    **NEW_RELATED_PERSON,
    "id": PERSON_ID,
    "patient_id": PATIENT_ID,
    "active": True,
    "consent": {**CONSENT_SCOPES, "recorded_by": COORDINATOR_ID, "recorded_at": CREATED_AT, "withdrawn_by": None,
                "withdrawn_at": None},
    "version": 1,
    "created_at": CREATED_AT,
    "updated_at": CREATED_AT,
}
RELATED_PERSON_CHANGES = {"relationship": "caregiver"}
CHANGED_RELATED_PERSON = {**RELATED_PERSON, **RELATED_PERSON_CHANGES, "version": 2, "updated_at": CHANGED_AT}
NEW_CONSENT = {"appointments": True, "care_plan": True, "billing": True}
CONSENTED_RELATED_PERSON = {**RELATED_PERSON, "version": 2, "updated_at": CHANGED_AT,
                            "consent": {**RELATED_PERSON["consent"], **NEW_CONSENT, "recorded_at": CHANGED_AT}}
WITHDRAWN_RELATED_PERSON = {**RELATED_PERSON, "version": 2, "updated_at": CHANGED_AT,
                            "consent": {**RELATED_PERSON["consent"], "withdrawn_by": COORDINATOR_ID,
                                        "withdrawn_at": CHANGED_AT}}

NEW_ALLERGY = {
    "substance_system": "rxnorm",
    "substance_code": "7980",
    "substance_name": "Penicillin G",
    "category": "medication",
    "criticality": "high",
    "severity": "moderate",
    "reaction": "Hives",
    "clinical_status": "active",
    "verification_status": "confirmed",
    "onset_date": "2019-06-01",
}
ALLERGY = {**NEW_ALLERGY, "id": ALLERGY_ID, "patient_id": PATIENT_ID, "recorded_by": NURSE_ID,
           "recorded_at": CREATED_AT, "updated_at": CREATED_AT, "version": 1}
ALLERGY_CHANGES = {"severity": "severe", "reaction": "Hives and swelling of the lips"}
CHANGED_ALLERGY = {**ALLERGY, **ALLERGY_CHANGES, "version": 2, "updated_at": CHANGED_AT}

NEW_MEMBERSHIP = {"practitioner_id": NURSE_ID, "role": "nurse", "period_start": CREATED_AT, "period_end": None}
MEMBERSHIP = {**NEW_MEMBERSHIP, "id": MEMBERSHIP_ID, "active": True, "version": 1}
MEMBERSHIP_CHANGES = {"period_end": "2026-06-30T00:00:00+00:00"}
CHANGED_MEMBERSHIP = {**MEMBERSHIP, **MEMBERSHIP_CHANGES, "version": 2}
NEW_CARE_TEAM = {
    "patient_id": PATIENT_ID,
    "name": "Cardiology",
    "category": "cardiology",
    "status": "active",
    "lead_coordinator_id": COORDINATOR_ID,
    "members": [{"practitioner_id": COORDINATOR_ID, "role": "coordinator"}, NEW_MEMBERSHIP],
}
CARE_TEAM = {
    **NEW_CARE_TEAM,
    "id": TEAM_ID,
    "members": [
        {"id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "practitioner_id": COORDINATOR_ID, "role": "coordinator",
         "period_start": CREATED_AT, "period_end": None, "active": True, "version": 1},
        MEMBERSHIP,
    ],
    "version": 1,
    "created_at": CREATED_AT,
    "updated_at": CREATED_AT,
}
CARE_TEAM_CHANGES = {"status": "suspended"}
CHANGED_CARE_TEAM = {**CARE_TEAM, **CARE_TEAM_CHANGES, "version": 2, "updated_at": CHANGED_AT}

NEW_PRACTITIONER = {
    "id": NURSE_ID,
    "given_name": "Amara",
    "family_name": "Okafor",
    "role": "nurse",
    "specialty": None,
    "npi": "1234567893",
    "contact_points": [{"system": "email", "value": "amara.okafor@example.org", "use": "work"}],
    "time_zone": "America/Chicago",
    "preferred_language": "en",
    "active": True,
}
PRACTITIONER = {**NEW_PRACTITIONER, "version": 1, "created_at": CREATED_AT, "updated_at": CREATED_AT}
PRACTITIONER_CHANGES = {"active": False}
CHANGED_PRACTITIONER = {**PRACTITIONER, **PRACTITIONER_CHANGES, "version": 2, "updated_at": CHANGED_AT}

TRAINEE_ID = "7c1d3e5f-8a9b-4c2d-9e0f-1a2b3c4d5e6f"
NEW_TRAINING = {"mentor_id": COORDINATOR_ID}
_CHECKLIST = [
    {"code": "shadow-intake", "kind": "shadowing", "title": "Shadow a new patient's intake and care-team set-up",
     "done_at": None, "done_by": None},
    {"code": "mentor-sign-off", "kind": "sign-off",
     "title": "Mentor confirms the new colleague works on their own", "done_at": None, "done_by": None},
]
TRAINING = {"practitioner_id": TRAINEE_ID, "mentor_id": COORDINATOR_ID, "status": "in-training",
            "checklist": _CHECKLIST, "started_at": CREATED_AT, "started_by": COORDINATOR_ID,
            "signed_off_at": None, "signed_off_by": None, "version": 1}
TRAINING_PROGRESS = {"done": ["shadow-intake", "mentor-sign-off"], "status": "signed-off"}
SIGNED_OFF_TRAINING = {**TRAINING, "status": "signed-off", "version": 2, "signed_off_at": CHANGED_AT,
                       "signed_off_by": COORDINATOR_ID,
                       "checklist": [{**item, "done_at": CHANGED_AT, "done_by": COORDINATOR_ID}
                                     for item in _CHECKLIST]}
