"""A plan's rows as the plain document that versions store, the API shows and
the domain rules compare (see domain/plan_documents.py)."""
from __future__ import annotations

from ..domain.plan_documents import DETAIL_KEYS
from .models import CarePlan, PlanActivity, PlanGoal


def _iso(value):
    return value.isoformat() if value is not None else None


def goal_document(goal: PlanGoal) -> dict:
    return {
        "id": str(goal.id),
        "description": goal.description,
        "target": {"measure": goal.target_measure, "detail": goal.target_detail,
                   "due_date": _iso(goal.target_due_date)},
        "lifecycle_status": goal.lifecycle_status,
        "achievement_status": goal.achievement_status,
    }


def activity_document(activity: PlanActivity) -> dict:
    detail = dict(activity.detail)
    if activity.kind == "medication":
        detail["ingredient_codes"] = list(activity.ingredient_codes)
    return {
        "id": str(activity.id),
        "kind": activity.kind,
        "status": activity.status,
        "status_reason": activity.status_reason,
        "description": activity.description,
        "instructions": activity.instructions,
        DETAIL_KEYS[activity.kind]: detail,
    }


def plan_document(plan: CarePlan) -> dict:
    return {
        "id": str(plan.id),
        "patient_id": str(plan.patient_id),
        "care_team_id": str(plan.care_team_id) if plan.care_team_id else None,
        "status": plan.status,
        "title": plan.title,
        "description": plan.description,
        "conditions": list(plan.conditions),
        "period": {"start": _iso(plan.period_start), "end": _iso(plan.period_end)},
        "warning_signs": list(plan.warning_signs),
        "contacts": list(plan.contacts),
        "template": {"code": plan.template_code, "version": plan.template_version} if plan.template_code else None,
        "goals": [goal_document(g) for g in plan.goals],
        "activities": [activity_document(a) for a in plan.activities],
    }
