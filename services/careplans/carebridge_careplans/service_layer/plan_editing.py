"""Applying requested changes to a plan's rows: details, goals and
activities, added (no id) or changed (with the id of one of the plan's own
items). Nothing is ever deleted: an activity is cancelled or stopped, a goal
cancelled or marked entered-in-error, so every version tells the truth."""
from __future__ import annotations

import uuid
from datetime import timedelta

from carebridge import clock
from carebridge.errors import RuleViolation
from carebridge.events.registry import to_jsonish

from ..domain.lifecycles import (ACTIVITY_TRANSITIONS, OPEN_ACTIVITY_STATUSES, check_goal_move, check_move)
from ..domain.plan_documents import DETAIL_KEYS
from ..persistence.models import CarePlan, PlanActivity, PlanGoal
from ..reference.medicines import medication_knowledge

PLAN_DETAIL_FIELDS = ("title", "description", "conditions", "warning_signs", "contacts", "care_team_id")
# Kept by the service across edits of a therapy activity, never set by clients.
# Details only the system sets, kept through staff edits, with their defaults:
# a therapy's sessions done; a follow-up's booked visit (from scheduling).
SYSTEM_DETAIL_FIELDS = {"therapy": {"sessions_completed": 0},
                        "follow-up": {"booked_start": None, "booked_appointment_id": None}}


def apply_details(plan: CarePlan, data: dict) -> None:
    for name in PLAN_DETAIL_FIELDS:
        if name in data:
            value = data[name]
            setattr(plan, name, to_jsonish(value) if isinstance(value, list) else value)
    if "period" in data:
        plan.period_start = data["period"]["start"]
        plan.period_end = data["period"].get("end")
    if plan.period_end is not None and plan.period_end < plan.period_start:
        raise RuleViolation("The plan's period ends before it starts.",
                            errors={"period": ["end must not be before start"]})


def _set_goal_fields(goal: PlanGoal, data: dict) -> None:
    if "description" in data:
        goal.description = data["description"]
    if "target" in data:
        target = data["target"] or {}
        goal.target_measure = target.get("measure")
        goal.target_detail = target.get("detail")
        goal.target_due_date = target.get("due_date")
    if "lifecycle_status" in data:
        check_goal_move(goal.lifecycle_status, data["lifecycle_status"])
        goal.lifecycle_status = data["lifecycle_status"]
    if "achievement_status" in data:
        goal.achievement_status = data["achievement_status"]


def upsert_goals(plan: CarePlan, items: list[dict]) -> None:
    existing = {goal.id: goal for goal in plan.goals}
    for index, data in enumerate(items):
        if data.get("id") is None:
            if not data.get("description"):
                raise RuleViolation("A new goal needs a description.",
                                    errors={f"goals.{index}.description": ["required for a new goal"]})
            goal = PlanGoal(id=uuid.uuid4(), position=len(plan.goals), lifecycle_status="active",
                            description=data["description"])
            plan.goals.append(goal)
            _set_goal_fields(goal, {**data, "lifecycle_status": data.get("lifecycle_status", "active")})
        elif data["id"] in existing:
            _set_goal_fields(existing[data["id"]], data)
        else:
            raise RuleViolation("A goal to change is not part of this plan.",
                                errors={f"goals.{index}.id": ["no such goal in this plan"]})


def _resolve_ingredients(detail: dict, index: int) -> list[str]:
    """The RxNorm ingredients of a medication: from the catalogue when it
    knows the code (a client cannot talk a known drug out of its checks),
    else as the client lists them (possibly none: then nothing can be checked)."""
    knowledge = medication_knowledge()
    known = knowledge.ingredients_of(detail.get("rxnorm_code"))
    given = detail.get("ingredient_codes")
    if known:
        if given is not None and set(given) != known:
            raise RuleViolation("ingredient_codes disagree with the catalogue's ingredients for rxnorm_code.",
                                errors={f"activities.{index}.medication.ingredient_codes":
                                        [f"for {detail['rxnorm_code']} the ingredients are {', '.join(sorted(known))}"]})
        return sorted(known)
    return sorted(set(given or ()))


def _detail_for(kind: str, data: dict, index: int, previous: dict | None) -> tuple[dict, list[str]]:
    key = DETAIL_KEYS[kind]
    wrong = [k for k in DETAIL_KEYS.values() if k != key and data.get(k) is not None]
    if wrong:
        raise RuleViolation(f"A {kind} activity takes only '{key}' details.",
                            errors={f"activities.{index}.{k}": [f"not allowed on a {kind} activity"] for k in wrong})
    detail = data.get(key)
    if detail is None:
        return previous, None
    detail = to_jsonish(detail)
    ingredients = []
    if kind == "medication":
        ingredients = _resolve_ingredients(detail, index)
        detail.pop("ingredient_codes", None)
    for name, default in SYSTEM_DETAIL_FIELDS.get(kind, {}).items():
        detail[name] = (previous or {}).get(name, default)
    return detail, ingredients


def _new_activity(plan: CarePlan, data: dict, index: int) -> PlanActivity:
    kind = data.get("kind")
    if kind is None:
        raise RuleViolation("A new activity needs a kind.",
                            errors={f"activities.{index}.kind": ["required for a new activity"]})
    if data.get(DETAIL_KEYS[kind]) is None:
        raise RuleViolation(f"A new {kind} activity needs its '{DETAIL_KEYS[kind]}' details.",
                            errors={f"activities.{index}.{DETAIL_KEYS[kind]}": ["required for a new activity"]})
    detail, ingredients = _detail_for(kind, data, index, None)
    status = data.get("status", "not-started")
    if status not in OPEN_ACTIVITY_STATUSES:
        raise RuleViolation("A new activity starts not-started, scheduled, in-progress or on-hold.",
                            errors={f"activities.{index}.status": ["not a starting status"]})
    activity = PlanActivity(id=uuid.uuid4(), patient_id=plan.patient_id, position=len(plan.activities), kind=kind,
                            status=status, status_reason=data.get("status_reason"),
                            description=data.get("description"), instructions=data.get("instructions"),
                            detail=detail, ingredient_codes=ingredients)
    plan.activities.append(activity)
    return activity


def _change_activity(activity: PlanActivity, data: dict, index: int) -> bool:
    """Apply a change; True when a medication's ingredients changed."""
    if data.get("kind") not in (None, activity.kind):
        raise RuleViolation("An activity cannot change its kind; cancel it and add a new one.",
                            errors={f"activities.{index}.kind": [f"this activity is a {activity.kind}"]})
    if "status" in data:
        check_move(ACTIVITY_TRANSITIONS, activity.status, data["status"])
        if data["status"] != activity.status:
            activity.status_reason = None
        activity.status = data["status"]
    for name in ("status_reason", "description", "instructions"):
        if name in data:
            setattr(activity, name, data[name])
    detail, ingredients = _detail_for(activity.kind, data, index, activity.detail)
    ingredients_changed = False
    if detail is not activity.detail:
        activity.detail = detail
        if activity.kind == "medication":
            ingredients_changed = set(ingredients) != set(activity.ingredient_codes)
            activity.ingredient_codes = ingredients
    return ingredients_changed


def upsert_activities(plan: CarePlan, items: list[dict]) -> list[PlanActivity]:
    """Apply the items; returns the medication activities to check for
    safety (new ones, and open ones whose drug changed)."""
    existing = {activity.id: activity for activity in plan.activities}
    to_check = []
    for index, data in enumerate(items):
        if data.get("id") is None:
            activity = _new_activity(plan, data, index)
            if activity.kind == "medication":
                to_check.append(activity)
        elif data["id"] in existing:
            activity = existing[data["id"]]
            if _change_activity(activity, data, index) and activity.status in OPEN_ACTIVITY_STATUSES:
                to_check.append(activity)
        else:
            raise RuleViolation("An activity to change is not part of this plan.",
                                errors={f"activities.{index}.id": ["no such activity in this plan"]})
    return to_check


def refresh_check_in_schedule(plan: CarePlan) -> None:
    """Keep each check-in activity's next due time: set while the plan is
    active and the activity open (from now, or sooner if the interval was
    shortened), cleared otherwise."""
    now = clock.now()
    for activity in plan.activities:
        if activity.kind != "check-in":
            continue
        if plan.status != "active" or activity.status not in OPEN_ACTIVITY_STATUSES:
            activity.next_check_in_at = None
            continue
        due = now + timedelta(days=int(activity.detail["interval_days"]))
        if activity.next_check_in_at is None or activity.next_check_in_at > due:
            activity.next_check_in_at = due
