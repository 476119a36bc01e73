"""Escalation of urgent notifications nobody acknowledges, with the clock in
the test's hands (journey 3: a missed appointment)."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from carebridge.testing import care_team_event, care_team_member, outbox
from carebridge_notifications.jobs.escalations import escalate_unacknowledged
from carebridge_notifications.persistence.models import Escalation
from carebridge_notifications.service_layer import inbox
from support import ON_CALL_NURSE, notifications, runtime_settings_for, set_preferences


@pytest.fixture
def runtime_settings(tmp_path):
    return runtime_settings_for(tmp_path, ON_CALL_NURSE_ID=str(ON_CALL_NURSE))


def escalation(runtime, source_event_id):
    with runtime.db.transaction() as session:
        return session.scalars(select(Escalation).where(Escalation.source_event_id == source_event_id)).one()


def escalated_to(runtime, source_event_id):
    return [(n.escalation_level, n.recipient_id) for n in notifications(runtime, source_event_id)
            if n.escalation_level > 0]


def acknowledge(runtime, notification_id, by):
    with runtime.db.transaction() as session:
        inbox.acknowledge(session, inbox.find(session, notification_id), by=by)


def on_rota(runtime, practitioner_id, duty, clock, hours=12):
    from carebridge_notifications.service_layer import duty_rota
    with runtime.db.transaction() as session:
        duty_rota.add_shift(session, {"practitioner_id": practitioner_id, "duty": duty,
                                      "starts_at": clock.now() - timedelta(hours=1),
                                      "ends_at": clock.now() + timedelta(hours=hours)}, by="tests")


class TestUnacknowledgedMissedAppointment:
    """Issue 25, item 7: each step reaches someone not told yet; the team is named."""

    def test_the_rest_of_the_team_then_on_call_then_the_supervisor_get_it(self, runtime, world, clock):
        from support import practitioner_changed
        supervisor = uuid.uuid4()
        world.deliver(practitioner_changed(supervisor, "coordinator", email="lead@example.org"))
        on_rota(runtime, supervisor, "supervisor", clock)
        no_show = world.missed()
        world.deliver(no_show)
        held = escalation(runtime, no_show.id)
        assert (held.status, held.level, held.due_at) == ("open", 0, clock.now() + timedelta(minutes=15))
        assert held.care_team_id == world.team  # the event names no team: the patient's team
        first_told = {n.recipient_id for n in notifications(runtime, no_show.id) if n.recipient_type == "practitioner"}
        assert first_told == {world.coordinator, world.nurse}

        clock.advance(minutes=14, seconds=59)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id) == []

        clock.advance(seconds=1)
        escalate_unacknowledged(runtime)
        # The lead coordinator and the nurse were told already: the physician is new.
        assert escalated_to(runtime, no_show.id) == [(1, world.physician)]
        note = next(n for n in notifications(runtime, no_show.id) if n.escalation_level == 1)
        assert note.urgency == "urgent"
        assert note.title == "Not acknowledged: Missed appointment"
        assert note.body.startswith("Nobody acknowledged this within 15 minutes")

        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id)[1:] == [(2, world.on_call_nurse)]

        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id)[2:] == [(3, supervisor)]

        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        chain = escalation(runtime, no_show.id)
        assert chain.status == "exhausted" and chain.closed_at == clock.now()
        assert [(s.level, s.audience, s.recipient_id) for s in chain.steps] == [
            (1, "care-team-others", world.physician), (2, "on-call", world.on_call_nurse),
            (3, "supervisor", supervisor)]

        # Acknowledged after the chain ran out: recorded all the same.
        clock.advance(minutes=5)
        acknowledge(runtime, note.id, by=str(world.physician))
        chain = escalation(runtime, no_show.id)
        assert (chain.status, chain.acknowledged_by, chain.acknowledged_at) == (
            "acknowledged", str(world.physician), clock.now())
        assert chain.closed_at == clock.now() - timedelta(minutes=5)

    def test_the_duty_rota_names_who_is_on_call_before_the_setting(self, runtime, world, clock):
        on_rota(runtime, world.stranger, "on-call", clock)
        no_show = world.missed()
        world.deliver(no_show)
        for _ in range(2):
            clock.advance(minutes=15)
            escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id) == [(1, world.physician), (2, world.stranger)]

    def test_someone_already_told_is_never_chased_twice(self, runtime, world, clock):
        on_rota(runtime, world.nurse, "on-call", clock)  # on call, and told already as the team's nurse
        no_show = world.missed()
        world.deliver(no_show)
        for _ in range(3):
            clock.advance(minutes=15)
            escalate_unacknowledged(runtime)
        assert [who for _level, who in escalated_to(runtime, no_show.id)] == [world.physician]
        assert escalation(runtime, no_show.id).status == "exhausted"

    def test_acknowledgement_by_the_nurse_stops_the_escalation(self, runtime, world, clock):
        no_show = world.missed()
        world.deliver(no_show)
        nurse_note = next(n for n in notifications(runtime, no_show.id) if n.recipient_id == world.nurse)
        clock.advance(minutes=5)
        acknowledge(runtime, nurse_note.id, by=str(world.nurse))
        clock.advance(minutes=30)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id) == []
        held = escalation(runtime, no_show.id)
        assert (held.status, held.acknowledged_by) == ("acknowledged", str(world.nurse))
        assert held.acknowledged_at == clock.now() - timedelta(minutes=30)

    def test_acknowledging_the_escalation_itself_ends_the_chain(self, runtime, world, clock):
        no_show = world.missed()
        world.deliver(no_show)
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        lead_note = next(n for n in notifications(runtime, no_show.id) if n.escalation_level == 1)
        acknowledge(runtime, lead_note.id, by=str(world.physician))
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id) == [(1, world.physician)]
        assert escalation(runtime, no_show.id).status == "acknowledged"

    def test_the_job_is_idempotent_within_a_step(self, runtime, world, clock):
        no_show = world.missed()
        world.deliver(no_show)
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id) == [(1, world.physician)]

    def test_routine_news_is_never_escalated(self, runtime, world, clock):
        booked = world.booked()
        world.deliver(booked)
        clock.advance(hours=2)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, booked.id) == []

    def test_escalation_passes_quiet_hours(self, runtime, world, clock):
        set_preferences(runtime, "practitioner", world.physician, quiet_hours={"start": "00:00", "end": "23:59"})
        no_show = world.missed()
        world.deliver(no_show)
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        lead_note = next(n for n in notifications(runtime, no_show.id) if n.escalation_level == 1)
        email = next(d for d in lead_note.deliveries if d.channel == "email")
        assert email.next_attempt_at == clock.now()


class TestChainWithoutAnOnCallNurse:
    @pytest.fixture
    def runtime_settings(self, tmp_path):
        return runtime_settings_for(tmp_path)

    def test_steps_with_nobody_new_are_skipped_and_the_chain_runs_out(self, runtime, world, clock):
        now = clock.now()
        world.deliver(care_team_event(world.patient, [
            care_team_member(world.nurse, "nurse", since=now - timedelta(days=3)),
            care_team_member(world.second_nurse, "nurse", since=now - timedelta(days=3))],
            care_team_id=world.team, revision=2))
        no_show = world.missed()
        world.deliver(no_show)
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        # Both nurses were told at once; no lead, nobody on call, no supervisor: nothing new to reach.
        assert escalated_to(runtime, no_show.id) == []
        assert escalation(runtime, no_show.id).status == "exhausted"


def test_severe_medication_alert_escalates_to_the_rest_of_the_team(runtime, world, clock):
    alert = world.medication_alert("major")  # told: the prescriber (physician) and the team's nurse
    world.deliver(alert)
    clock.advance(minutes=15)
    escalate_unacknowledged(runtime)
    assert escalated_to(runtime, alert.id) == [(1, world.coordinator)]
    assert not outbox(runtime)  # escalation publishes nothing; only failed deliveries do


def training_changed(practitioner_id, *, in_training, revision, mentor_id=None):
    from support import event
    return event("patients.practitioner-training-changed", {
        "practitioner_id": practitioner_id, "revision": revision, "mentor_id": mentor_id or uuid.uuid4(),
        "in_training": in_training})


class TestStaffInTraining:
    """Issue 25, item 16: while in training a practitioner receives no escalations."""

    def test_the_chain_passes_a_trainee_by_until_they_are_signed_off(self, runtime, world, clock):
        mentor = uuid.uuid4()
        world.deliver(training_changed(world.physician, in_training=True, revision=1, mentor_id=mentor))
        no_show = world.missed()
        world.deliver(no_show)
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        # The physician (the only one not told yet) is in training: the on-call nurse is next.
        assert escalated_to(runtime, no_show.id) == [(2, world.on_call_nurse)]

        world.deliver(training_changed(world.physician, in_training=False, revision=3, mentor_id=mentor))
        world.deliver(training_changed(world.physician, in_training=True, revision=2, mentor_id=mentor))  # late
        again = world.missed()
        world.deliver(again)
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, again.id) == [(1, world.physician)]
