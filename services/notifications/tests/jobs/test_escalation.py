"""Escalation of urgent notifications nobody acknowledges, with the clock in
the test's hands (journey 3: a missed appointment)."""
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


class TestUnacknowledgedMissedAppointment:
    def test_nobody_acknowledges_so_the_team_lead_then_the_on_call_nurse_get_it(self, runtime, world, clock):
        no_show = world.missed()
        world.deliver(no_show)
        held = escalation(runtime, no_show.id)
        assert (held.status, held.level, held.due_at) == ("open", 0, clock.now() + timedelta(minutes=15))

        clock.advance(minutes=14, seconds=59)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id) == []

        clock.advance(seconds=1)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id) == [(1, world.coordinator)]
        lead_note = next(n for n in notifications(runtime, no_show.id) if n.escalation_level == 1)
        assert lead_note.urgency == "urgent"
        assert lead_note.title == "Not acknowledged: Missed appointment"
        assert lead_note.body.startswith("Nobody acknowledged this within 15 minutes")
        assert {d.channel for d in lead_note.deliveries} == {"inapp", "email"}

        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id) == [(1, world.coordinator), (2, world.on_call_nurse)]

        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        chain = escalation(runtime, no_show.id)
        assert chain.status == "exhausted" and chain.closed_at == clock.now()
        assert [(s.level, s.audience, s.recipient_id) for s in chain.steps] == [
            (1, "lead-coordinator", world.coordinator), (2, "on-call-nurse", world.on_call_nurse)]

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
        acknowledge(runtime, lead_note.id, by=str(world.coordinator))
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id) == [(1, world.coordinator)]
        assert escalation(runtime, no_show.id).status == "acknowledged"

    def test_the_job_is_idempotent_within_a_step(self, runtime, world, clock):
        no_show = world.missed()
        world.deliver(no_show)
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, no_show.id) == [(1, world.coordinator)]

    def test_routine_news_is_never_escalated(self, runtime, world, clock):
        booked = world.booked()
        world.deliver(booked)
        clock.advance(hours=2)
        escalate_unacknowledged(runtime)
        assert escalated_to(runtime, booked.id) == []

    def test_escalation_passes_a_leads_quiet_hours(self, runtime, world, clock):
        set_preferences(runtime, "practitioner", world.coordinator, quiet_hours={"start": "00:00", "end": "23:59"})
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

    def test_the_teams_nurse_is_the_last_step_and_a_missing_lead_is_skipped(self, runtime, world, clock):
        now = clock.now()
        world.deliver(care_team_event(world.patient, [
            care_team_member(world.nurse, "nurse", since=now - timedelta(days=3)),
            care_team_member(world.second_nurse, "nurse", since=now - timedelta(days=3))],
            care_team_id=world.team, revision=2))
        no_show = world.missed()
        world.deliver(no_show)
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        assert sorted(escalated_to(runtime, no_show.id)) == sorted([(2, world.nurse), (2, world.second_nurse)])
        clock.advance(minutes=15)
        escalate_unacknowledged(runtime)
        assert escalation(runtime, no_show.id).status == "exhausted"


def test_severe_medication_alert_escalates_to_the_lead(runtime, world, clock):
    alert = world.medication_alert("major")
    world.deliver(alert)
    clock.advance(minutes=15)
    escalate_unacknowledged(runtime)
    assert escalated_to(runtime, alert.id) == [(1, world.coordinator)]
    assert not outbox(runtime)  # escalation publishes nothing; only failed deliveries do
