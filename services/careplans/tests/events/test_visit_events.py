"""Reactions to scheduling's visit events, each from a real envelope."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from support import activity_of, appointment_event, create_plan, follow_up, plan_body, therapy
from carebridge.testing import care_team_event, care_team_member, deliver, make_event, outbox
from carebridge_careplans.persistence.models import ParkedEvent, Task


@pytest.fixture
def plan(client, as_, team):
    return create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        follow_up(), therapy(per_week=2, weeks=1)]))


def current(client, as_, plan):
    return client.get(f"/care-plans/{plan['id']}", headers=as_("coordinator")).get_json()


def tasks_of(runtime, code=None):
    with runtime.db.transaction() as session:
        statement = select(Task).order_by(Task.created_at)
        if code:
            statement = statement.where(Task.code == code)
        return session.scalars(statement).all()


def parked(runtime):
    with runtime.db.transaction() as session:
        return session.scalars(select(ParkedEvent)).all()


def missed(team, plan, clock, **extra):
    visit = activity_of(plan, "follow-up") if plan else None
    return appointment_event("scheduling.appointment-missed", team, activity_id=visit and visit["id"],
                             plan_id=plan and plan["id"], start=clock.now() - timedelta(hours=1),
                             detected_at=clock.now(), grace_minutes=15, status="noshow", **extra)


def completed(team, plan, clock, kind="follow-up", code="cardiology-follow-up", **extra):
    activity = activity_of(plan, kind) if plan else None
    return appointment_event("scheduling.appointment-completed", team, activity_id=activity and activity["id"],
                             plan_id=plan and plan["id"], code=code, start=clock.now() - timedelta(hours=1),
                             completed_at=clock.now(), status="fulfilled", **extra)


class TestMissedVisit:
    def test_opens_an_urgent_outreach_task_for_the_lead_coordinator(self, runtime, team, plan, clock):
        event = missed(team, plan, clock)
        assert deliver(runtime, event) == "applied"
        [task] = tasks_of(runtime, "outreach")
        assert (task.owner_id, task.priority, task.status) == (team.coordinator_id, "urgent", "requested")
        assert (task.focus_type, str(task.focus_id)) == ("appointment", event.data["appointment_id"])
        assert task.due_at == clock.now() + timedelta(hours=24)
        assert "rebook" in task.reason
        [assigned] = outbox(runtime, "careplans.task-assigned")
        assert assigned.data["code"] == "outreach" and assigned.causation_id == str(event.id)

    def test_sends_the_follow_up_back_to_be_booked_in_a_system_version(self, client, as_, runtime, team, plan,
                                                                       clock):
        deliver(runtime, missed(team, plan, clock))
        visit = activity_of(current(client, as_, plan), "follow-up")
        assert (visit["status"], visit["status_reason"]) == ("not-started", "missed-appointment")
        [latest] = client.get(f"/care-plans/{plan['id']}/versions?page_size=1",
                              headers=as_("coordinator")).get_json()["items"]
        assert (latest["version"], latest["author"]) == (2, "system")
        event = outbox(runtime, "careplans.plan-updated")[-1]
        assert event.data["patient_facing"] is False and event.data["author_id"] is None
        assert event.data["by_system"] is True  # issue 25, item 9: the team is not told a second time
        assert [a["activity_id"] for a in event.data["activities_to_schedule"]] == [visit["id"]]

    def test_a_duplicate_delivery_opens_one_task(self, runtime, team, plan, clock):
        event = missed(team, plan, clock)
        assert deliver(runtime, event) == "applied"
        assert deliver(runtime, event) == "duplicate"
        assert len(tasks_of(runtime)) == 1 and len(outbox(runtime, "careplans.task-assigned")) == 1

    def test_the_same_appointment_reported_again_keeps_one_open_task(self, runtime, team, plan, clock):
        first = missed(team, plan, clock)
        again = make_event("scheduling.appointment-missed", first.data)
        deliver(runtime, first)
        deliver(runtime, again)
        assert len(tasks_of(runtime, "outreach")) == 1

    def test_without_a_lead_the_longest_serving_coordinator_owns_it(self, runtime, team, clock):
        since = clock.now() - timedelta(days=10)
        deputy = uuid.uuid4()
        deliver(runtime, care_team_event(team.patient_id, [
            care_team_member(deputy, "coordinator", since=since),
            care_team_member(team.nurse_id, "nurse", since=since - timedelta(days=5))],
            care_team_id=team.care_team_id, revision=2))
        deliver(runtime, missed(team, None, clock))
        assert tasks_of(runtime)[0].owner_id == deputy

    def test_without_any_coordinator_it_waits_in_the_unassigned_queue(self, runtime, team, clock):
        since = clock.now() - timedelta(days=10)
        deliver(runtime, care_team_event(team.patient_id, [care_team_member(team.nurse_id, "nurse", since=since)],
                                         care_team_id=team.care_team_id, revision=2))
        deliver(runtime, missed(team, None, clock))
        [task] = tasks_of(runtime)
        assert task.owner_id is None and outbox(runtime, "careplans.task-assigned") == []

    def test_an_unknown_plan_activity_still_opens_the_outreach(self, runtime, team, clock):
        event = appointment_event("scheduling.appointment-missed", team, activity_id=uuid.uuid4(),
                                  start=clock.now(), detected_at=clock.now(), grace_minutes=15)
        assert deliver(runtime, event) == "applied"
        assert len(tasks_of(runtime, "outreach")) == 1 and parked(runtime) == []

    def test_no_outreach_for_a_patient_who_died(self, runtime, team, clock):
        deliver(runtime, make_event("patients.patient-updated", {
            "patient_id": team.patient_id, "revision": 3, "status": "deceased", "time_zone": "America/Chicago",
            "contact_points": [], "communication": {}, "changed_fields": ["status"]}))
        deliver(runtime, missed(team, None, clock))
        assert tasks_of(runtime) == []


class TestUnknownPatient:
    def test_is_parked_not_lost_and_applied_once_the_patient_is_known(self, runtime, team, clock):
        stranger = type(team)(**{**team.__dict__, "patient_id": uuid.uuid4(), "care_team_id": uuid.uuid4()})
        event = missed(stranger, None, clock)
        assert deliver(runtime, event) == "applied"  # acknowledged: it never blocks the queue
        [row] = parked(runtime)
        assert (row.event_id, row.reason, row.patient_id, row.applied_at) == (
            event.id, "unknown-patient", stranger.patient_id, None)
        assert tasks_of(runtime) == []
        since = clock.now() - timedelta(days=1)
        members = [care_team_member(member, role, since=since) for member, role in stranger.roles.items()]
        deliver(runtime, care_team_event(stranger.patient_id, members, care_team_id=stranger.care_team_id,
                                         lead_coordinator_id=stranger.coordinator_id))
        [task] = tasks_of(runtime)
        assert (task.patient_id, task.owner_id, task.code) == (stranger.patient_id, stranger.coordinator_id,
                                                               "outreach")
        assert parked(runtime)[0].applied_at is not None
        assert outbox(runtime, "careplans.task-assigned")[-1].causation_id == str(event.id)

    def test_a_patient_registered_later_also_releases_it(self, runtime, clock, team):
        stranger = type(team)(**{**team.__dict__, "patient_id": uuid.uuid4()})
        deliver(runtime, completed(stranger, None, clock))
        deliver(runtime, make_event("patients.patient-registered", {
            "patient_id": stranger.patient_id, "revision": 1, "status": "active", "time_zone": "UTC",
            "contact_points": [], "communication": {}}))
        [task] = tasks_of(runtime)
        assert (task.code, task.owner_id) == ("check-in", None)
        assert parked(runtime)[0].applied_at is not None


class TestCompletedVisit:
    def test_completes_the_follow_up_and_opens_a_check_in_due_within_48_hours(self, client, as_, runtime, team,
                                                                              plan, clock):
        event = completed(team, plan, clock)
        assert deliver(runtime, event) == "applied"
        assert activity_of(current(client, as_, plan), "follow-up")["status"] == "completed"
        [task] = tasks_of(runtime, "check-in")
        assert task.due_at == clock.now() + timedelta(hours=48)
        assert (task.owner_id, str(task.focus_id), str(task.plan_id)) == (
            team.coordinator_id, event.data["appointment_id"], plan["id"])

    @pytest.mark.parametrize("setting,hours", [("hospital", 24), ("nursing-home", 72), ("home-telehealth", 48),
                                               ("private-practice", 48)])
    def test_the_check_in_is_due_as_the_visits_setting_says(self, runtime, team, plan, clock, setting, hours):
        """Issue 25, item 14 (c): CAREPLANS_VISIT_CHECK_IN_DUE_HOURS_BY_SETTING, default hospital=24;nursing-home=72."""
        assert deliver(runtime, completed(team, plan, clock, setting=setting)) == "applied"
        [task] = tasks_of(runtime, "check-in")
        assert task.due_at == clock.now() + timedelta(hours=hours)

    def test_a_duplicate_opens_one_check_in_task(self, runtime, team, plan, clock):
        event = completed(team, plan, clock)
        deliver(runtime, event)
        assert deliver(runtime, event) == "duplicate"
        assert len(tasks_of(runtime, "check-in")) == 1

    def test_therapy_sessions_count_up_and_the_last_one_completes_the_course(self, client, as_, runtime, team, plan,
                                                                             clock):
        deliver(runtime, completed(team, plan, clock, kind="therapy", code="physical-therapy"))
        course = activity_of(current(client, as_, plan), "therapy")
        assert (course["status"], course["therapy"]["sessions_completed"]) == ("in-progress", 1)
        assert tasks_of(runtime, "check-in") == []
        deliver(runtime, completed(team, plan, clock, kind="therapy", code="physical-therapy"))
        course = activity_of(current(client, as_, plan), "therapy")
        assert (course["status"], course["therapy"]["sessions_completed"]) == ("completed", 2)
        assert len(tasks_of(runtime, "check-in")) == 1

    def test_a_visit_booked_outside_the_plan_is_matched_by_its_type(self, client, as_, runtime, team, plan,
                                                                    clock):
        event = appointment_event("scheduling.appointment-completed", team, start=clock.now(),
                                  completed_at=clock.now())
        deliver(runtime, event)
        assert activity_of(current(client, as_, plan), "follow-up")["status"] == "completed"


class TestBookedAndCancelledVisit:
    def booked(self, team, plan, clock, activity_id=None, **extra):
        visit = activity_of(plan, "follow-up")
        return appointment_event("scheduling.appointment-booked", team, activity_id=activity_id or visit["id"],
                                 plan_id=plan["id"], start=clock.now() + timedelta(days=8), **extra)

    def test_booking_schedules_the_follow_up(self, client, as_, runtime, team, plan, clock):
        deliver(runtime, self.booked(team, plan, clock))
        assert activity_of(current(client, as_, plan), "follow-up")["status"] == "scheduled"
        to_book = outbox(runtime, "careplans.plan-updated")[-1].data["activities_to_schedule"]
        assert [a["status"] for a in to_book] == ["scheduled"]

    def test_a_duplicate_booking_makes_one_version(self, client, as_, runtime, team, plan, clock):
        event = self.booked(team, plan, clock)
        deliver(runtime, event)
        assert deliver(runtime, event) == "duplicate"
        assert current(client, as_, plan)["version"] == 2

    def test_a_booking_for_an_unknown_activity_is_parked(self, runtime, team, plan, clock):
        event = self.booked(team, plan, clock, activity_id=uuid.uuid4())
        assert deliver(runtime, event) == "applied"
        assert [(p.event_id, p.reason) for p in parked(runtime)] == [(event.id, "unknown-plan-activity")]

    def test_a_cancelled_booking_needs_booking_again(self, client, as_, runtime, team, plan, clock):
        deliver(runtime, self.booked(team, plan, clock))
        visit = activity_of(plan, "follow-up")
        deliver(runtime, appointment_event("scheduling.appointment-cancelled", team, activity_id=visit["id"],
                                           start=clock.now(), reason_code="patient-request",
                                           status="cancelled"))
        visit = activity_of(current(client, as_, plan), "follow-up")
        assert (visit["status"], visit["status_reason"]) == ("not-started", "appointment-cancelled")

    def test_a_cancellation_for_a_reschedule_changes_nothing(self, client, as_, runtime, team, plan, clock):
        deliver(runtime, self.booked(team, plan, clock))
        visit = activity_of(plan, "follow-up")
        deliver(runtime, appointment_event("scheduling.appointment-cancelled", team, activity_id=visit["id"],
                                           start=clock.now(), reason_code="rescheduled", status="cancelled"))
        assert activity_of(current(client, as_, plan), "follow-up")["status"] == "scheduled"

    def test_a_visit_of_a_draft_plan_leaves_the_plan_alone(self, client, as_, runtime, team, clock):
        draft = create_plan(client, as_("nurse"), plan_body(team.patient_id, status="draft",
                                                            activities=[follow_up()]))
        deliver(runtime, self.booked(team, draft, clock))
        assert current(client, as_, draft)["version"] == 1


class TestNoShowCorrected:
    """Issue 25, item 3: a no-show corrected to arrived closes the outreach task it opened."""

    def test_closes_the_outreach_task_and_schedules_the_follow_up_again(self, client, as_, runtime, team, plan,
                                                                         clock):
        no_show = missed(team, plan, clock)
        deliver(runtime, no_show)
        corrected = make_event("scheduling.appointment-noshow-corrected", {
            k: v for k, v in no_show.data.items() if k not in ("detected_at", "grace_minutes")} | {
            "status": "arrived", "corrected_by": "coordinator-1"})
        assert deliver(runtime, corrected) == "applied"
        [task] = tasks_of(runtime, "outreach")
        assert task.status == "completed" and task.open_key is None
        assert "corrected" in task.status_reason
        visit = activity_of(current(client, as_, plan), "follow-up")
        assert visit["status"] == "scheduled"

    def test_a_correction_without_an_outreach_task_changes_nothing(self, runtime, team, clock):
        event = missed(team, None, clock)
        corrected = make_event("scheduling.appointment-noshow-corrected", {
            k: v for k, v in event.data.items() if k not in ("detected_at", "grace_minutes")} | {"status": "arrived"})
        assert deliver(runtime, corrected) == "applied"
        assert tasks_of(runtime) == []
