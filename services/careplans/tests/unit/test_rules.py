"""Lifecycles, visit progress, task owners and adherence rules."""
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carebridge.errors import InvalidTransition
from carebridge_careplans.domain import visit_progress
from carebridge_careplans.domain.adherence import adherence_rate, needs_review
from carebridge_careplans.domain.lifecycles import (ACTIVITY_TRANSITIONS, PLAN_TRANSITIONS, TASK_TRANSITIONS,
                                                    check_goal_move, check_move, closing_status_of_activity)
from carebridge_careplans.domain.task_owners import Member, Team, may_own, responsible_coordinator


@pytest.mark.parametrize("transitions, current, requested", [
    (PLAN_TRANSITIONS, "draft", "active"), (PLAN_TRANSITIONS, "active", "on-hold"),
    (PLAN_TRANSITIONS, "on-hold", "active"), (ACTIVITY_TRANSITIONS, "in-progress", "stopped"),
    (TASK_TRANSITIONS, "requested", "completed"), (TASK_TRANSITIONS, "on-hold", "in-progress"),
])
def test_allowed_moves(transitions, current, requested):
    check_move(transitions, current, requested)


@pytest.mark.parametrize("transitions, current, requested", [
    (PLAN_TRANSITIONS, "draft", "completed"), (PLAN_TRANSITIONS, "completed", "active"),
    (PLAN_TRANSITIONS, "revoked", "draft"), (ACTIVITY_TRANSITIONS, "stopped", "in-progress"),
    (ACTIVITY_TRANSITIONS, "in-progress", "cancelled"), (TASK_TRANSITIONS, "completed", "in-progress"),
])
def test_refused_moves_name_what_is_allowed(transitions, current, requested):
    with pytest.raises(InvalidTransition) as refused:
        check_move(transitions, current, requested)
    assert refused.value.extensions["allowed"] == sorted(transitions[current])


def test_a_closed_goal_stays_closed():
    check_goal_move("active", "completed")
    with pytest.raises(InvalidTransition):
        check_goal_move("completed", "active")


def test_ending_a_plan_cancels_what_never_started_and_stops_what_did():
    assert [closing_status_of_activity(s) for s in ("not-started", "scheduled", "in-progress", "on-hold",
                                                    "completed")] == ["cancelled", "cancelled", "stopped",
                                                                      "stopped", None]


def test_a_booked_visit_is_scheduled_once():
    assert visit_progress.after_booked("follow-up", "not-started", {}).status == "scheduled"
    assert visit_progress.after_booked("follow-up", "completed", {}) is None


def test_a_missed_follow_up_needs_booking_again_with_a_reason():
    progress = visit_progress.after_missed("follow-up", "scheduled", {})
    assert (progress.status, progress.status_reason) == ("not-started", "missed-appointment")
    assert visit_progress.after_missed("therapy", "in-progress", {}) is None


def test_a_therapy_course_completes_with_its_last_session():
    detail = {"sessions_per_week": 2, "duration_weeks": 1, "sessions_completed": 0}
    first = visit_progress.after_completed("therapy", "scheduled", detail)
    assert (first.status, first.sessions_completed) == ("in-progress", 1)
    assert not visit_progress.completes_a_visit("therapy", first)
    last = visit_progress.after_completed("therapy", "in-progress", {**detail, "sessions_completed": 1})
    assert (last.status, last.sessions_completed) == ("completed", 2)
    assert visit_progress.completes_a_visit("therapy", last)


def test_a_cancelled_booking_goes_back_to_be_booked():
    assert visit_progress.after_cancelled("follow-up", "scheduled", {}).status_reason == "appointment-cancelled"
    assert visit_progress.after_cancelled("follow-up", "not-started", {}) is None


START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_the_lead_coordinator_owns_team_tasks_then_the_longest_serving_coordinator():
    lead, senior, junior, nurse = (uuid.uuid4() for _ in range(4))
    with_lead = Team(uuid.uuid4(), True, lead, (Member(senior, "coordinator", START),))
    assert responsible_coordinator([with_lead]) == (lead, with_lead.care_team_id)
    later = START.replace(month=2)
    without_lead = Team(uuid.uuid4(), True, None, (Member(junior, "coordinator", later),
                                                   Member(senior, "coordinator", START),
                                                   Member(nurse, "nurse", START)))
    assert responsible_coordinator([without_lead]) == (senior, without_lead.care_team_id)


def test_without_a_coordinator_a_task_is_unassigned_and_inactive_teams_do_not_count():
    nurse = uuid.uuid4()
    team = Team(uuid.uuid4(), True, None, (Member(nurse, "nurse", START),))
    assert responsible_coordinator([team]) == (None, team.care_team_id)
    suspended = Team(uuid.uuid4(), False, uuid.uuid4(), ())
    assert responsible_coordinator([suspended]) == (None, None)
    assert may_own([team], nurse) and not may_own([suspended], suspended.lead_coordinator_id)


def test_the_plans_own_team_is_preferred():
    first, second = (Team(uuid.uuid4(), True, uuid.uuid4(), ()) for _ in range(2))
    assert responsible_coordinator([first, second], second.care_team_id)[1] == second.care_team_id


def test_adherence_threshold_and_rate():
    assert not needs_review(2, 3) and needs_review(3, 3)
    assert adherence_rate(9, 3) == Decimal("75.0") and adherence_rate(0, 0) is None
    assert adherence_rate(2, 1) == Decimal("66.7")
