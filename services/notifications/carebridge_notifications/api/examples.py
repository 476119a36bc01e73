"""Examples of request and response bodies for the OpenAPI document (and so
for the generated client's documentation). A kit test loads every request
example through its operation's schema and checks every response example
against the documented one, so these stay true to the API."""
from __future__ import annotations

PATIENT_ID = "8a1f6c2e-4b7d-4f0a-9c3e-2d5b7e9f1a04"
PERSON_ID = "3c9e7a51-0d2b-4e6f-8a17-5b4c2d1e0f93"
NURSE_ID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
SUBSCRIPTION_ID = "0d2f4b6a-8c1e-4a3d-9f5b-7e9c1a3d5f8b"
ADMIN = "c7e9a1b3-5d8f-4c2a-9e4b-6d8f1a3c5e7b"
CHANGED_AT = "2026-03-02T14:00:00+00:00"

EFFECTIVE_CHANNELS = {
    "appointments": {"routine": ["inapp"], "urgent": ["inapp", "email", "sms"]},
    "care_plan": {"routine": ["inapp"], "urgent": ["inapp", "email", "sms"]},
    "billing": {"routine": ["inapp"], "urgent": ["inapp", "email", "sms"]},
    "tasks": {"routine": ["inapp", "email", "sms"], "urgent": ["inapp", "email", "sms"]},
    "medication_safety": {"routine": ["inapp"], "urgent": ["inapp", "email", "sms"]},
}
NEW_STAFF_PREFERENCES = {"opted_out": False, "quiet_hours": {"start": "22:00", "end": "07:00"},
                         "channels": {"tasks": ["email", "sms"]}, "sms_consent": True}
STAFF_PREFERENCES = {**NEW_STAFF_PREFERENCES, "recipient_type": "practitioner", "recipient_id": NURSE_ID,
                     "effective_channels": EFFECTIVE_CHANNELS, "sms_consent_recorded_at": CHANGED_AT,
                     "sms_consent_recorded_by": NURSE_ID, "updated_at": CHANGED_AT, "version": 1}
NEW_PERSON_PREFERENCES = {"opted_out": False, "quiet_hours": None, "channels": {"appointments": ["email"]},
                          "message_detail": "full"}
PATIENT_PREFERENCES = {
    **NEW_PERSON_PREFERENCES,
    "recipient_type": "patient",
    "recipient_id": PATIENT_ID,
    "sms_consent": False,
    "effective_channels": {"appointments": {"routine": ["inapp", "email"], "urgent": ["inapp", "email"]},
                           "care_plan": {"routine": ["inapp"], "urgent": ["inapp", "email"]},
                           "billing": {"routine": ["inapp"], "urgent": ["inapp", "email"]}},
    "updated_at": CHANGED_AT,
    "version": 1,
}
RELATED_PERSON_PREFERENCES = {**PATIENT_PREFERENCES, "recipient_type": "related-person", "recipient_id": PERSON_ID}

NEW_SUBSCRIPTION = {"url": "https://staff-app.example.org/hooks", "secret": "a-long-enough-shared-secret-0123456789",
                    "event_types": ["careplans.medication-alert", "scheduling.appointment-missed"],
                    "description": "Ward app", "active": True}
SUBSCRIPTION = {
    "id": SUBSCRIPTION_ID,
    "url": "https://staff-app.example.org/hooks",
    "event_types": ["careplans.medication-alert", "scheduling.appointment-missed"],
    "description": "Ward app",
    "active": True,
    "created_at": CHANGED_AT,
    "created_by": ADMIN,
    "updated_at": CHANGED_AT,
    "version": 1,
}
SUBSCRIPTION_REPLACEMENT = {**NEW_SUBSCRIPTION, "secret": None, "active": False}
REPLACED_SUBSCRIPTION = {**SUBSCRIPTION, "active": False, "version": 2}

NEW_DUTY_SHIFT = {"practitioner_id": "3b5d7f9a-1c3e-4a5b-8d7f-9a1c3e5b7d9f", "duty": "on-call",
                  "starts_at": "2026-03-02T17:00:00+00:00", "ends_at": "2026-03-03T08:00:00+00:00"}
DUTY_SHIFT = {**NEW_DUTY_SHIFT, "id": "7d9f1b3c-5e7a-4c9d-8f1b-3c5e7a9d1f3b", "created_by": "coordinator-1",
              "created_at": "2026-03-01T10:00:00+00:00", "version": 1}
