"""Mappings from the careplans service's records to FHIR R4: CarePlan (from
the plan document that versions store, so a read and a vread map alike),
Goal, MedicationRequest (a plan's medication activity), Task and
DetectedIssue (a medication-safety finding). Plain functions; no access
rules, no Flask."""
from __future__ import annotations

import uuid

from carebridge.fhir.elements import codeable, coding, compact, instant, meta, period, reference

US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ROUTES = {"oral": ("26643006", "Oral route"), "subcutaneous": ("34206005", "Subcutaneous route"),
          "intravenous": ("47625008", "Intravenous route"), "intramuscular": ("78421000", "Intramuscular route"),
          "topical": ("6064005", "Topical route"), "inhaled": ("447694001", "Respiratory tract route"),
          "sublingual": ("37839007", "Sublingual route"), "transdermal": ("45890007", "Transdermal route")}
# How each kind of activity is described when it is not a medication.
ACTIVITY_KIND_DISPLAY = {"follow-up": "Follow-up visit", "diet": "Diet", "therapy": "Therapy",
                         "education": "Education", "check-in": "Check-in call",
                         "monitoring": "Remote monitoring"}
FINDING_CODES = {"drug-interaction": ("DRG", "Drug Interaction Alert"),
                 "duplicate-therapy": ("DUPTHPY", "Duplicate Therapy Alert"),
                 "allergy": ("ALGY", "Allergy Alert")}
FINDING_SEVERITY = {"contraindicated": "high", "major": "high", "moderate": "moderate", "minor": "low"}
OPEN_ACTIVITY = ("not-started", "scheduled", "in-progress")
# What a task is about, where FHIR has a resource of its own for it (an
# activity is part of its CarePlan, which `basedOn` names).
TASK_FOCUS = {"plan": "CarePlan", "goal": "Goal", "appointment": "Appointment"}


def _practitioner(subject) -> dict | None:
    """A reference to the staff member whose token subject this is (services
    and other callers are no Practitioner)."""
    try:
        return reference("Practitioner", uuid.UUID(str(subject)))
    except (TypeError, ValueError):
        return None


def _activity_detail(activity: dict) -> dict:
    kind = activity["kind"]
    detail = activity.get({"follow-up": "follow_up", "check-in": "check_in"}.get(kind, kind)) or {}
    described = (activity.get("description") or detail.get("purpose") or detail.get("topic")
                 or detail.get("recommendation"))
    found = {
        "kind": "Appointment" if kind == "follow-up" else None,
        "code": codeable(coding("careplan-activity", kind, ACTIVITY_KIND_DISPLAY.get(kind)),
                         text=detail.get("appointment_type_code")),
        "status": activity["status"],
        "statusReason": codeable(text=activity.get("status_reason")),
        "description": described,
        "performer": [reference("Practitioner", detail.get("practitioner_id"))],
    }
    if kind == "follow-up":
        found["scheduledPeriod"] = period(detail.get("window_start"), detail.get("window_end"))
    elif kind == "therapy":
        found["scheduledTiming"] = {"repeat": {"frequency": detail.get("sessions_per_week"), "period": 1,
                                               "periodUnit": "wk", "count": (detail.get("sessions_per_week") or 0)
                                               * (detail.get("duration_weeks") or 0) or None}}
    elif kind == "check-in":
        found["scheduledTiming"] = {"repeat": {"frequency": 1, "period": detail.get("interval_days"),
                                               "periodUnit": "d"}}
    return found


def care_plan_resource(document: dict, *, version: int, updated_at, created_at=None, author=None) -> dict:
    """A plan document (persistence.documents.plan_document, or a version's
    stored one) as a US Core CarePlan."""
    plan_id = document["id"]
    activities = []
    for activity in document.get("activities", []):
        if activity["kind"] == "medication":
            activities.append({"reference": reference("MedicationRequest", activity["id"])})
        else:
            activities.append({"detail": _activity_detail(activity)})
    return compact({
        "resourceType": "CarePlan",
        "id": plan_id,
        "meta": meta(version, updated_at, US_CORE + "us-core-careplan"),
        "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">Care plan</div>'},
        "status": document["status"],
        "intent": "plan",
        "category": [codeable(coding(CAREPLAN_CATEGORY, "assess-plan", "Assessment and Plan of Treatment"))],
        "title": document.get("title"),
        "description": document.get("description"),
        "subject": reference("Patient", document["patient_id"]),
        "period": period((document.get("period") or {}).get("start"), (document.get("period") or {}).get("end")),
        "created": instant(created_at),
        "author": _practitioner(author),
        "careTeam": [reference("CareTeam", document.get("care_team_id"))],
        "addresses": [{"identifier": {"system": coding(c.get("system"), c.get("code"))["system"],
                                      "value": c.get("code")}, "display": c.get("display")}
                      for c in document.get("conditions", []) if c.get("code")],
        "goal": [reference("Goal", goal["id"]) for goal in document.get("goals", [])],
        "activity": activities,
    })


def goal_resource(goal) -> dict:
    plan = goal.plan
    return compact({
        "resourceType": "Goal",
        "id": str(goal.id),
        "meta": meta(plan.version, plan.updated_at, US_CORE + "us-core-goal"),
        "lifecycleStatus": goal.lifecycle_status,
        "achievementStatus": codeable(coding(GOAL_ACHIEVEMENT, goal.achievement_status)),
        "description": {"text": goal.description},
        "subject": reference("Patient", plan.patient_id),
        "target": [{"measure": codeable(text=goal.target_measure), "detailString": goal.target_detail,
                    "dueDate": goal.target_due_date.isoformat() if goal.target_due_date else None}]
        if (goal.target_measure or goal.target_detail or goal.target_due_date) else [],
        "addresses": [],
    })


def medication_request_status(plan_status: str, activity_status: str) -> str:
    """A medication activity's MedicationRequest status: its own, while its
    plan is in force; an open one follows the plan otherwise."""
    if plan_status == "draft":
        return "draft"
    if activity_status in OPEN_ACTIVITY:
        return {"active": "active", "on-hold": "on-hold", "completed": "completed",
                "revoked": "stopped"}.get(plan_status, "unknown")
    return {"on-hold": "on-hold", "completed": "completed", "cancelled": "cancelled",
            "stopped": "stopped"}.get(activity_status, "unknown")


def medication_request_resource(activity) -> dict:
    plan = activity.plan
    detail = activity.detail or {}
    route = ROUTES.get(detail.get("route"))
    dose_text = ", ".join(part for part in (detail.get("dose"), detail.get("route"), detail.get("frequency"))
                          if part)
    return compact({
        "resourceType": "MedicationRequest",
        "id": str(activity.id),
        "meta": meta(plan.version, plan.updated_at, US_CORE + "us-core-medicationrequest"),
        "status": medication_request_status(plan.status, activity.status),
        "statusReason": codeable(text=activity.status_reason),
        "intent": "plan",
        "medicationCodeableConcept": codeable(coding("rxnorm", detail.get("rxnorm_code"), detail.get("name")),
                                              *[coding("rxnorm", code) for code in activity.ingredient_codes
                                                if code != detail.get("rxnorm_code")],
                                              text=detail.get("name")),
        "subject": reference("Patient", activity.patient_id),
        "authoredOn": instant(plan.created_at),
        "requester": reference("Practitioner", detail.get("prescriber_id")) or _practitioner(plan.created_by),
        "basedOn": [reference("CarePlan", plan.id)],
        "reasonCode": [codeable(text=detail.get("purpose"))] if detail.get("purpose") else [],
        "note": [{"text": activity.instructions}] if activity.instructions else [],
        "dosageInstruction": [{
            "text": dose_text,
            "patientInstruction": activity.instructions,
            "asNeededBoolean": detail.get("as_needed"),
            "route": codeable(coding("snomed", route[0], route[1]), text=detail.get("route")) if route
            else codeable(text=detail.get("route")),
            "timing": {"repeat": {"timeOfDay": [f"{t}:00" for t in detail.get("times_of_day") or []],
                                  "boundsDuration": {"value": detail["duration_days"], "unit": "d",
                                                     "system": "http://unitsofmeasure.org", "code": "d"}
                                  if detail.get("duration_days") else None},
                       "code": codeable(text=detail.get("frequency"))},
        }],
    })


def task_resource(task) -> dict:
    return compact({
        "resourceType": "Task",
        "id": str(task.id),
        "meta": meta(task.version, task.updated_at),
        "status": task.status,
        "statusReason": codeable(text=task.status_reason),
        "intent": "order",
        "priority": task.priority,
        "code": codeable(coding("task-code", task.code)),
        "description": task.reason,
        "focus": reference(TASK_FOCUS[task.focus_type], task.focus_id) if task.focus_type in TASK_FOCUS else None,
        "for": reference("Patient", task.patient_id),
        "basedOn": [reference("CarePlan", task.plan_id)],
        "authoredOn": instant(task.created_at),
        "lastModified": instant(task.updated_at),
        "requester": reference("Practitioner", task.requester_id),
        "owner": reference("Practitioner", task.owner_id),
        "restriction": {"period": {"end": instant(task.due_at)}} if task.due_at else None,
        "note": [{"text": task.note}] if task.note else [],
    })


def detected_issue_resource(alert) -> dict:
    code, display = FINDING_CODES.get(alert.kind, (None, None))
    implicated = [reference("MedicationRequest", alert.activity_id),
                  reference("MedicationRequest", alert.interacting_activity_id),
                  reference("AllergyIntolerance", alert.allergy_id)]
    mitigation = []
    if alert.outcome == "overridden":
        mitigation.append({"action": codeable(text=alert.override_reason or "overridden"),
                           "author": reference("Practitioner", alert.overridden_by)})
    return compact({
        "resourceType": "DetectedIssue",
        "id": str(alert.id),
        "meta": {"lastUpdated": instant(alert.detected_at)},
        "status": "final",
        "code": codeable(coding(ACT_CODE, code, display) if code else None, text=alert.kind),
        "severity": FINDING_SEVERITY.get(alert.severity, "moderate"),
        "patient": reference("Patient", alert.patient_id),
        "identifiedDateTime": instant(alert.detected_at),
        "implicated": implicated,
        "evidence": [{"code": [codeable(coding("rxnorm", c)) for c in alert.rxnorm_codes]}]
        if alert.rxnorm_codes else [],
        "detail": alert.text,
        "reference": next((r for r in alert.references if isinstance(r, str) and r.startswith("http")), None),
        "mitigation": mitigation,
    })
