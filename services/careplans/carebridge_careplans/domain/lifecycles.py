"""Statuses and the moves allowed between them (FHIR CarePlan, Goal and Task
status sets). A terminal status has no way out: a stopped medication is
restarted by adding a new activity, so the history says what happened."""
from __future__ import annotations

from carebridge.errors import InvalidTransition
from carebridge.events.catalogue.careplans import (ACTIVITY_STATUSES, PLAN_STATUSES, TASK_PRIORITIES)

PLAN_TRANSITIONS = {
    "draft": {"active", "revoked"},
    "active": {"on-hold", "completed", "revoked"},
    "on-hold": {"active", "completed", "revoked"},
    "completed": set(),
    "revoked": set(),
}
# Plans whose medications the patient takes or is about to take.
PLANS_IN_FORCE = ("draft", "active", "on-hold")

ACTIVITY_TRANSITIONS = {
    "not-started": {"scheduled", "in-progress", "on-hold", "completed", "cancelled"},
    "scheduled": {"not-started", "in-progress", "on-hold", "completed", "cancelled"},
    "in-progress": {"on-hold", "completed", "stopped"},
    "on-hold": {"not-started", "scheduled", "in-progress", "completed", "cancelled", "stopped"},
    "completed": set(),
    "cancelled": set(),
    "stopped": set(),
}
ACTIVITY_INITIAL_STATUSES = ("not-started", "scheduled", "in-progress", "on-hold")
OPEN_ACTIVITY_STATUSES = frozenset(ACTIVITY_INITIAL_STATUSES)

GOAL_LIFECYCLE_STATUSES = ("proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled",
                           "entered-in-error", "rejected")
GOAL_FINAL_STATUSES = frozenset({"completed", "cancelled", "entered-in-error", "rejected"})
GOAL_ACHIEVEMENT_STATUSES = ("in-progress", "improving", "worsening", "no-change", "achieved", "sustaining",
                             "not-achieved", "no-progress", "not-attainable")

TASK_STATUSES = ("requested", "accepted", "in-progress", "on-hold", "completed", "cancelled", "failed")
TASK_TRANSITIONS = {
    "requested": {"accepted", "in-progress", "on-hold", "completed", "cancelled"},
    "accepted": {"in-progress", "on-hold", "completed", "cancelled"},
    "in-progress": {"on-hold", "completed", "failed", "cancelled"},
    "on-hold": {"accepted", "in-progress", "completed", "failed", "cancelled"},
    "completed": set(),
    "cancelled": set(),
    "failed": set(),
}
OPEN_TASK_STATUSES = ("requested", "accepted", "in-progress", "on-hold")

assert set(PLAN_TRANSITIONS) == set(PLAN_STATUSES)
assert set(ACTIVITY_TRANSITIONS) == set(ACTIVITY_STATUSES)
assert TASK_PRIORITIES == ("routine", "urgent", "asap", "stat")


def check_move(transitions: dict[str, set[str]], current: str, requested: str) -> None:
    """Raise InvalidTransition unless `requested` may follow `current`
    (staying in the same status is no move and always allowed)."""
    if requested != current and requested not in transitions[current]:
        raise InvalidTransition(current, requested, transitions[current])


def check_goal_move(current: str, requested: str) -> None:
    if requested != current and current in GOAL_FINAL_STATUSES:
        raise InvalidTransition(current, requested, ())


def closing_status_of_activity(status: str) -> str | None:
    """What an open activity becomes when its plan ends: never started means
    cancelled, begun means stopped."""
    if status in ("not-started", "scheduled"):
        return "cancelled"
    if status in ("in-progress", "on-hold"):
        return "stopped"
    return None
