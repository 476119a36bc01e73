"""Examples of request and response bodies for the OpenAPI document (and so
for the generated client's documentation). A kit test loads every request
example through its operation's schema and checks every response example
against the documented one, so these stay true to the API."""
from __future__ import annotations

PATIENT_ID = "8a1f6c2e-4b7d-4f0a-9c3e-2d5b7e9f1a04"
PRACTITIONER_ID = "a4c6e8b1-3d5f-4a7c-9e2b-4d6f8a1c3e5b"
CLINIC_ID = "c3e5a7b9-1d2f-4c4e-8a6b-9d1f3b5c7e2a"
SCHEDULE_ID = "e7a9c1d3-5f2b-4e4a-9c6d-8b1f3e5a7c9d"
EXCEPTION_ID = "b1d3f5a7-9c2e-4b4d-8f6a-1c3e5b7d9f2a"
APPOINTMENT_ID = "d5f7b9a1-3c4e-4d6f-a8b2-c4e6a8d1f3b5"
SERIES_ID = "f9b1d3e5-7a2c-4f4b-8d6e-3a5c7e9b1d4f"
ENTRY_ID = "a2c4e6f8-1b3d-4a5c-9e7f-2b4d6f8a1c3e"
CREATED_AT = "2026-03-02T14:00:00+00:00"
CHANGED_AT = "2026-03-05T16:20:00+00:00"

NEW_LOCATION = {"code": "riverside-clinic", "name": "Riverside Clinic", "setting": "outpatient-clinic",
                "active": True}
LOCATION = {**NEW_LOCATION, "id": CLINIC_ID, "version": 1}
LOCATION_CHANGES = {**NEW_LOCATION, "name": "Riverside Family Clinic"}
CHANGED_LOCATION = {**LOCATION_CHANGES, "id": CLINIC_ID, "version": 2}

WEEKDAY_RULES = [{"weekday": day, "start_time": "09:00", "end_time": "17:00", "location_id": CLINIC_ID,
                  "appointment_type_codes": []} for day in ("monday", "tuesday", "wednesday", "thursday", "friday")]
NEW_SCHEDULE = {
    "practitioner_id": PRACTITIONER_ID,
    "time_zone": "America/New_York",
    "buffer_minutes": 5,
    "slot_interval_minutes": 15,
    "valid_from": "2026-03-02",
    "valid_until": None,
    "active": True,
    "rules": WEEKDAY_RULES,
}
SCHEDULE = {**NEW_SCHEDULE, "id": SCHEDULE_ID, "version": 1}
SCHEDULE_REPLACEMENT = {**NEW_SCHEDULE, "rules": [
    *WEEKDAY_RULES, {"weekday": "saturday", "start_time": "09:00", "end_time": "12:00", "location_id": CLINIC_ID,
                     "appointment_type_codes": ["telehealth-check-in"]}]}
REPLACED_SCHEDULE = {**SCHEDULE_REPLACEMENT, "id": SCHEDULE_ID, "version": 2}
NEW_EXCEPTION = {"kind": "time-off", "start": "2026-03-16T13:00:00+00:00", "end": "2026-03-20T22:00:00+00:00",
                 "location_id": None, "appointment_type_codes": [], "reason_code": "vacation"}
EXCEPTION = {**NEW_EXCEPTION, "id": EXCEPTION_ID, "schedule_id": SCHEDULE_ID, "created_at": CREATED_AT,
             "booked_appointment_ids": [APPOINTMENT_ID]}

NEW_BOOKING = {"patient_id": PATIENT_ID, "practitioner_id": PRACTITIONER_ID,
               "appointment_type_code": "cardiology-follow-up", "start": "2026-03-10T10:00:00-04:00",
               "location_id": CLINIC_ID, "status": "booked"}
APPOINTMENT = {
    "id": APPOINTMENT_ID,
    "patient_id": PATIENT_ID,
    "practitioner_id": PRACTITIONER_ID,
    "location_id": CLINIC_ID,
    "appointment_type_code": "cardiology-follow-up",
    "service_code": "99214",
    "setting": "outpatient-clinic",
    "start": "2026-03-10T14:00:00+00:00",
    "end": "2026-03-10T14:30:00+00:00",
    "status": "booked",
    "booked_by": "2f4e6a8c-1b3d-4f5a-9c7e-0d2b4f6a8c1e",
    "series_id": None,
    "care_plan_id": None,
    "plan_activity_id": None,
    "waitlist_entry_id": None,
    "hold_expires_at": None,
    "telehealth_join_url": None,
    "cancel_reason_code": None,
    "cancelled_at": None,
    "arrived_at": None,
    "checked_in_at": None,
    "completed_at": None,
    "noshow_at": None,
    "version": 1,
    "created_at": CREATED_AT,
    "updated_at": CREATED_AT,
}
NEW_SERIES = {"patient_id": PATIENT_ID, "practitioner_id": PRACTITIONER_ID,
              "appointment_type_code": "physical-therapy", "location_id": CLINIC_ID, "first_day": "2026-03-09",
              "weeks": 6, "sessions": [{"weekday": "tuesday", "at": "10:00"}, {"weekday": "thursday", "at": "10:00"}],
              "time_zone": "America/New_York"}
SERIES_OUTCOME = {
    "series_id": SERIES_ID,
    "booked": [{**APPOINTMENT, "appointment_type_code": "physical-therapy", "service_code": "97110",
                "end": "2026-03-10T14:45:00+00:00", "series_id": SERIES_ID}],
    "refused": [{"start": "2026-03-12T14:00:00+00:00", "end": "2026-03-12T14:45:00+00:00",
                 "reason": "practitioner-busy",
                 "detail": "That time is already taken in the practitioner's schedule."}],
}
RESCHEDULE = {"start": "2026-03-11T15:30:00-04:00"}
RESCHEDULED_APPOINTMENT = {**APPOINTMENT, "start": "2026-03-11T19:30:00+00:00", "end": "2026-03-11T20:00:00+00:00",
                           "version": 2, "updated_at": CHANGED_AT}
CANCELLATION = {"status": "cancelled", "reason_code": "patient-request"}
CANCELLED_APPOINTMENT = {**APPOINTMENT, "status": "cancelled", "cancel_reason_code": "patient-request",
                         "cancelled_at": CHANGED_AT, "version": 2, "updated_at": CHANGED_AT}

NEW_WAITLIST_ENTRY = {"patient_id": PATIENT_ID, "practitioner_id": PRACTITIONER_ID,
                      "appointment_type_code": "cardiology-follow-up", "location_id": None,
                      "not_before": None, "wanted_before": "2026-03-09T22:00:00+00:00"}
WAITLIST_ENTRY = {**NEW_WAITLIST_ENTRY, "id": ENTRY_ID, "care_plan_id": None, "plan_activity_id": None,
                  "status": "waiting", "booked_appointment_id": None, "offer": None, "version": 1,
                  "created_at": CREATED_AT}

NEW_APPOINTMENT_TYPE = {"code": "nursing-home-round", "display": "Nursing home round", "service_code": "99309",
                        "duration_minutes": 30, "setting": "nursing-home", "billing_category": "primary-care"}
APPOINTMENT_TYPE = {**NEW_APPOINTMENT_TYPE, "active": True}
RETIRED_APPOINTMENT_TYPE = {**NEW_APPOINTMENT_TYPE, "active": False}
