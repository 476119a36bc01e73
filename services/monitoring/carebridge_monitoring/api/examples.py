"""Examples of request and response bodies for the OpenAPI document. A kit
test loads every request example through its operation's schema and checks
every response example against the documented one."""
from __future__ import annotations

PATIENT_ID = "8a1f6c2e-4b7d-4f0a-9c3e-2d5b7e9f1a04"
ENROLMENT_ID = "3b5d7f9a-1c2e-4a4b-8d6f-0a2c4e6b8d1f"
READING_ID = "5d7f9b1a-3c4e-4e6f-a8b0-2c4e6a8b0d2f"
READING_ID_2 = "6e8a0c2b-4d5f-4f7a-b9c1-3d5f7b9c1e3a"
ALERT_ID = "7f9b1d3c-5e6a-4a8b-8c2d-4e6a8c0d2f4b"
NURSE_ID = "a4c6e8b1-3d5f-4a7c-9e2b-4d6f8a1c3e5b"
TIME_ENTRY_ID = "9b1d3f5e-7a8c-4c0d-9e4f-6a8c0e2f4b6d"
TRIAGE_CALL_ID = "b1d3f5a7-9c2e-4b4d-8f6a-1c3e5b7d9f2a"
AT = "2026-03-02T14:00:00+00:00"

NEW_ENROLMENT = {
    "patient_id": PATIENT_ID, "condition": "heart-failure", "measures": ["weight", "blood-pressure"],
    "device": {"kind": "cellular-scale", "serial": "SCALE-000123"}, "consent_date": "2026-03-01",
}
LIMITS = {
    "blood-pressure": {"high": 160, "low": 90, "critical_high": 180, "critical_low": 80},
}
RULES = [
    {"code": "weight-gain-day", "kind": "weight-gain", "days": 1, "gain_kg": "0.9", "severity": "urgent"},
    {"code": "weight-gain-week", "kind": "weight-gain", "days": 7, "gain_kg": "2.3", "severity": "urgent"},
    {"code": "systolic-high-3-in-a-row", "kind": "consecutive-over", "measure": "blood-pressure", "count": 3,
     "severity": "warning"},
    {"code": "missed-readings", "kind": "missed-readings", "days": 2, "severity": "warning"},
]
ENROLMENT = {
    "id": ENROLMENT_ID, "patient_id": PATIENT_ID, "condition": "heart-failure",
    "measures": ["blood-pressure", "weight"], "device": {"kind": "cellular-scale", "serial": "SCALE-000123"},
    "consent_date": "2026-03-01", "time_zone": "America/Chicago", "status": "active", "limits": LIMITS,
    "rules": RULES, "started_at": AT, "ended_at": None, "end_reason": None, "last_reading_at": None,
    "version": 1,
}
LIMITS_CHANGE = {"limits": {"blood-pressure": {"high": 150, "low": 90, "critical_high": 180, "critical_low": 80}}}
ENDING = {"reason": "patient-request"}

NEW_READING = {"patient_id": PATIENT_ID, "measure": "weight", "value": 182.4, "unit": "[lb_av]",
               "taken_at": "2026-03-02T13:05:00+00:00"}
READING = {"id": READING_ID, "enrolment_id": ENROLMENT_ID, "patient_id": PATIENT_ID, "measure": "weight",
           "value": "82.74", "diastolic": None, "unit": "kg", "sent_unit": "[lb_av]", "device_serial": "manual",
           "source": "staff", "taken_at": "2026-03-02T13:05:00+00:00", "received_at": AT}
BATCH = {"readings": [
    {"device_serial": "SCALE-000123", "measure": "weight", "value": 82.7, "unit": "kg",
     "taken_at": "2026-03-02T13:05:00+00:00"},
    {"device_serial": "CUFF-000456", "measure": "blood-pressure", "value": 148, "diastolic": 92,
     "unit": "mm[Hg]", "taken_at": "2026-03-02T13:06:00+00:00"},
    {"device_serial": "SCALE-000123", "measure": "weight", "value": 9000, "unit": "kg",
     "taken_at": "2026-03-02T13:07:00+00:00"},
]}
BATCH_RESULT = {
    "stored": 1, "duplicates": 0, "refused": 2, "alerts_opened": [],
    "results": [
        {"index": 0, "status": "stored", "reading_id": READING_ID, "errors": {}},
        {"index": 1, "status": "refused", "reading_id": None,
         "errors": {"enrolment": ["no active monitoring enrolment of this patient or device for this measure"]}},
        {"index": 2, "status": "refused", "reading_id": None,
         "errors": {"value": ["9000.00 kg is not a plausible weight (between 0.5 and 500)"]}},
    ],
}
ALERT = {
    "id": ALERT_ID, "enrolment_id": ENROLMENT_ID, "patient_id": PATIENT_ID, "rule_code": "weight-gain-day",
    "measure": "weight", "severity": "urgent", "status": "open", "opened_at": AT, "closed_at": None,
    "closed_by": None, "action_code": None, "action_note": None, "version": 1,
    "readings": [READING | {"id": READING_ID_2, "value": "81.60", "taken_at": "2026-03-01T13:02:00+00:00"}, READING],
}
ALERT_ACTION = {"action_code": "medication-adjusted", "note": "Extra furosemide 40 mg today, weigh tomorrow.",
                "minutes": 15}
CLOSED_ALERT = {**ALERT, "status": "closed", "closed_at": "2026-03-02T15:10:00+00:00", "closed_by": NURSE_ID,
                "action_code": "medication-adjusted", "action_note": ALERT_ACTION["note"], "version": 2}
NEW_TIME_ENTRY = {"patient_id": PATIENT_ID, "activity": "review", "minutes": 12,
                  "performed_at": "2026-03-02T13:30:00+00:00"}
TIME_ENTRY = {"id": TIME_ENTRY_ID, "patient_id": PATIENT_ID, "enrolment_id": ENROLMENT_ID, "alert_id": None,
              "practitioner_id": NURSE_ID, "activity": "review", "minutes": 12,
              "performed_at": "2026-03-02T13:30:00+00:00", "recorded_by": NURSE_ID}
NEW_TRIAGE_CALL = {
    "patient_id": PATIENT_ID, "caller_type": "family", "caller_name": "Daughter (Marta)",
    "protocol_code": "shortness-of-breath", "called_at": "2026-03-02T13:50:00+00:00",
    "answers": {"at-rest": False, "blue-lips-or-confused": False, "worse-than-usual": True,
                "swollen-legs-or-weight-gain": False},
    "note": "Breathless climbing stairs since yesterday.",
}
TRIAGE_CALL = {
    "id": TRIAGE_CALL_ID, **NEW_TRIAGE_CALL, "disposition": "book-within-days", "book_within_days": 2,
    "advice": "We will book you a visit in the next few days. Weigh yourself each morning and call back if you "
              "get worse.",
    "recorded_by": NURSE_ID, "nurse_id": NURSE_ID, "recorded_at": AT,
}
