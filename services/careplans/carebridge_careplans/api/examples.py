"""Examples of request and response bodies for the OpenAPI document (and so
for the generated client's documentation). A kit test loads every request
example through its operation's schema and checks every response example
against the documented one, so these stay true to the API."""
from __future__ import annotations

PATIENT_ID = "8a1f6c2e-4b7d-4f0a-9c3e-2d5b7e9f1a04"
TEAM_ID = "5d7a2c94-1e3f-4b60-8d2a-c7e9f0b1a3d5"
COORDINATOR_ID = "2f4e6a8c-1b3d-4f5a-9c7e-0d2b4f6a8c1e"
NURSE_ID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"
PLAN_ID = "0c4d7e1a-9b2f-4a6c-8e3d-5f1b7a9c2e4d"
GOAL_ID = "7b1e3d5f-2a4c-4e6b-9d8f-1c3e5a7b9d2f"
MEDICATION_ID = "4e6a8c1b-3d5f-4a7c-9e1b-2d4f6a8c1e3b"
FOLLOW_UP_ID = "1a3c5e7b-9d2f-4b4a-8c6e-3f5b7d9a1c2e"
TASK_ID = "6f8b1d3e-5a7c-4e9b-8d2f-4a6c8e1b3d5f"
DOSE_ID = "d2f4a6c8-1e3b-4d5f-a7c9-e1b3d5f7a9c2"
CHECK_IN_ID = "e3b5d7f9-2a4c-4e6a-b8d1-f3a5c7e9b2d4"
CREATED_AT = "2026-03-02T14:00:00+00:00"
CHANGED_AT = "2026-03-09T10:30:00+00:00"

CONDITION = {"system": "icd-10-cm", "code": "I50.9", "display": "Heart failure"}
WARNING_SIGN = {"sign": "Weight up more than 3 lb in a day", "action": "call-care-team"}
CONTACT = {"role": "coordinator", "name": "Care coordination desk", "phone": "+1 555 010 2030",
           "hours": "weekdays 8 am to 5 pm"}
NEW_GOAL = {"description": "Keep weight within 2 lb of discharge weight",
            "target": {"measure": "body weight", "detail": "within 2 lb", "due_date": "2026-04-01"}}
NEW_MEDICATION = {"kind": "medication", "description": "Heart medicine",
                  "medication": {"name": "sacubitril/valsartan", "rxnorm_code": "1656339", "dose": "1 tablet",
                                 "route": "oral", "frequency": "twice-daily", "times_of_day": ["08:00", "20:00"],
                                 "purpose": "for the heart"}}
NEW_FOLLOW_UP = {"kind": "follow-up",
                 "follow_up": {"appointment_type_code": "cardiology-follow-up", "window_start": "2026-03-09",
                               "window_end": "2026-03-16", "purpose": "check the new medicine"}}
NEW_PLAN = {
    "patient_id": PATIENT_ID,
    "care_team_id": TEAM_ID,
    "status": "active",
    "title": "Heart failure care",
    "conditions": [CONDITION],
    "period": {"start": "2026-03-02", "end": "2026-06-01"},
    "goals": [NEW_GOAL],
    "activities": [NEW_MEDICATION, NEW_FOLLOW_UP],
    "warning_signs": [WARNING_SIGN],
    "contacts": [CONTACT],
    "reason": "Discharged after a heart failure admission",
}
PLAN = {
    "id": PLAN_ID,
    "patient_id": PATIENT_ID,
    "care_team_id": TEAM_ID,
    "status": "active",
    "title": "Heart failure care",
    "description": None,
    "conditions": [CONDITION],
    "period": {"start": "2026-03-02", "end": "2026-06-01"},
    "warning_signs": [WARNING_SIGN],
    "contacts": [CONTACT],
    "template": None,
    "goals": [{**NEW_GOAL, "id": GOAL_ID, "lifecycle_status": "active", "achievement_status": None}],
    "activities": [
        {**NEW_MEDICATION, "id": MEDICATION_ID, "status": "not-started", "status_reason": None,
         "instructions": None,
         "medication": {**NEW_MEDICATION["medication"], "ingredient_codes": ["1656328", "69749"]}},
        {**NEW_FOLLOW_UP, "id": FOLLOW_UP_ID, "status": "not-started", "status_reason": None, "description": None,
         "instructions": None},
    ],
    "version": 1,
    "created_at": CREATED_AT,
    "created_by": COORDINATOR_ID,
    "updated_at": CREATED_AT,
}
FROM_TEMPLATE = {"template_code": "heart-failure-post-discharge", "patient_id": PATIENT_ID, "care_team_id": TEAM_ID,
                 "start_date": "2026-03-02", "leave_out": ["fluid-guidance"], "contacts": [CONTACT]}
TEMPLATE_PLAN = {
    **PLAN,
    "status": "draft",
    "title": "Heart failure: the first 90 days after a hospital stay",
    "period": {"start": "2026-03-02", "end": "2026-05-31"},
    "template": {"code": "heart-failure-post-discharge", "version": "2026.1"},
    "activities": [{
        "id": MEDICATION_ID, "kind": "medication", "status": "not-started", "status_reason": None,
        "description": None, "instructions": "Take it in the morning so that you are not up at night.",
        "medication": {"name": "furosemide", "rxnorm_code": "4603", "ingredient_codes": ["4603"],
                       "dose": "40 mg (1 tablet)", "route": "oral", "frequency": "every-morning",
                       "times_of_day": ["08:00"], "purpose": "a water pill: removes extra fluid"}}],
}
PLAN_REVISION = {"reason": "Follow-up moved a week later",
                 "activities": [{"id": FOLLOW_UP_ID, "follow_up": {**NEW_FOLLOW_UP["follow_up"],
                                                                   "window_start": "2026-03-16",
                                                                   "window_end": "2026-03-23"}}]}
REVISED_PLAN = {**PLAN, "version": 2, "updated_at": CHANGED_AT, "activities": [
    PLAN["activities"][0],
    {**PLAN["activities"][1], "follow_up": {**PLAN["activities"][1]["follow_up"], "window_start": "2026-03-16",
                                            "window_end": "2026-03-23"}}]}
PLAN_STATUS = {"status": "completed", "reason": "Goals met at the three-month review"}
COMPLETED_PLAN = {**PLAN, "status": "completed", "version": 2, "updated_at": CHANGED_AT, "activities": [
    {**activity, "status": "cancelled", "status_reason": "plan-completed"} for activity in PLAN["activities"]]}

NEW_TASK = {
    "patient_id": PATIENT_ID,
    "code": "medication-review",
    "priority": "urgent",
    "reason": "New heart medicine: review the home medication list",
    "due_at": "2026-03-04T17:00:00+00:00",
    "focus_type": "plan",
    "focus_id": PLAN_ID,
    "plan_id": PLAN_ID,
}
TASK = {
    **NEW_TASK,
    "id": TASK_ID,
    "care_team_id": TEAM_ID,
    "owner_id": COORDINATOR_ID,
    "requester_id": NURSE_ID,
    "status": "requested",
    "status_reason": None,
    "note": None,
    "overdue": False,
    "created_at": CREATED_AT,
    "updated_at": CREATED_AT,
    "version": 1,
}
TASK_UPDATE = {"status": "completed", "note": "Reviewed with the patient's son by phone"}
UPDATED_TASK = {**TASK, **TASK_UPDATE, "version": 2, "updated_at": CHANGED_AT}
TASK_OWNER = {"owner_id": NURSE_ID, "reason": "The nurse knows the family"}
REASSIGNED_TASK = {**TASK, "owner_id": NURSE_ID, "version": 2}

NEW_DOSE = {"activity_id": MEDICATION_ID, "outcome": "missed", "scheduled_for": "2026-03-03T08:00:00-06:00",
            "taken_at": None, "reported_by": "caregiver", "note": "Ran out of tablets"}
DOSE = {**NEW_DOSE, "id": DOSE_ID, "patient_id": PATIENT_ID, "plan_id": PLAN_ID, "recorded_at": CREATED_AT,
        "recorded_by": NURSE_ID, "review_task_id": None}

NEW_CHECK_IN = {
    "patient_id": PATIENT_ID,
    "plan_id": PLAN_ID,
    "task_id": None,
    "context": "after-hospital-stay",
    "contact_method": "phone",
    "reached": True,
    "overall": "improving",
    "summary": "Breathing easier; weighing every morning",
    "barriers": ["transportation"],
    "goal_progress": [{"goal_id": GOAL_ID, "achievement_status": "improving", "note": "Weight stable"}],
}
CHECK_IN = {**NEW_CHECK_IN, "id": CHECK_IN_ID, "appointment_id": None, "note": None, "recorded_at": CREATED_AT,
            "recorded_by": COORDINATOR_ID}

NEW_HOSPITAL_STAY = {
    "patient_id": PATIENT_ID,
    "facility": "Riverside General Hospital",
    "admitted_at": "2026-02-24T09:30:00+00:00",
    "discharged_at": None,
    "discharge_disposition": None,
}
HOSPITAL_STAY = {**NEW_HOSPITAL_STAY, "id": "5c7e9a1b-3d5f-4a7c-9e1b-3d5f7a9c1e3b", "source": "staff",
                 "recorded_by": COORDINATOR_ID, "recorded_at": CREATED_AT, "updated_at": CREATED_AT}
DISCHARGE = {"discharged_at": "2026-03-01T16:00:00+00:00", "discharge_disposition": "home"}
DISCHARGED_STAY = {**HOSPITAL_STAY, **DISCHARGE, "updated_at": "2026-03-01T16:05:00+00:00"}

SUMMARY_SENDING = {"include_family": True}
SUMMARY_SENT = {"sending_id": "7d1f0b3e-2a4c-4e8f-9b61-0c5d2e7a8f13", "plan_id": "5f0c1c2e-8d4b-4b7a-9a51-3c2d1e0f9a87",
                "patient_id": "0e6b8f4a-1c3d-4e5f-8a9b-2c7d6e5f4a3b", "version": 3, "include_family": True,
                "sent_at": "2026-03-02T15:04:05+00:00"}
