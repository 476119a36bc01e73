"""The monitoring service's alerts and urgent triage calls, from real
envelopes: the team's nurses and lead coordinator are told, urgently (and so
escalated until acknowledged) when the alert needs action today or the
triage call cannot wait; routine triage calls tell nobody."""
import uuid

import pytest

from carebridge import clock

from support import event, notifications, told

P = "practitioner"


def alert(world, severity, rule_code="weight-gain-day"):
    return event("monitoring.alert-opened", {
        "alert_id": uuid.uuid4(), "enrolment_id": uuid.uuid4(), "patient_id": world.patient,
        "rule_code": rule_code, "measure": "weight", "severity": severity, "reading_ids": [uuid.uuid4()],
        "opened_at": clock.now()})


def triage(world, disposition):
    return event("monitoring.triage-recorded", {
        "triage_call_id": uuid.uuid4(), "patient_id": world.patient, "protocol_code": "chest-pain",
        "disposition": disposition, "book_within_days": 3 if disposition == "book-within-days" else None,
        "nurse_id": world.nurse, "called_at": clock.now()})


def urgency_of(runtime, source_event_id):
    return {(n.recipient_type, n.recipient_id): n.urgency for n in notifications(runtime, source_event_id)}


@pytest.mark.parametrize("severity", ["urgent", "critical"])
def test_an_alert_needing_action_is_urgent_to_the_nurses_and_the_lead(runtime, world, severity):
    opened = alert(world, severity, "spo2-critical-low" if severity == "critical" else "weight-gain-day")
    world.deliver(opened)
    assert urgency_of(runtime, opened.id) == {(P, world.nurse): "urgent", (P, world.coordinator): "urgent"}
    assert told(runtime, opened.id)[(P, world.nurse)]["inapp"] == "sent"
    [nurses] = [n for n in notifications(runtime, opened.id) if n.recipient_id == world.nurse]
    words = "very low oxygen saturation" if severity == "critical" else "weight gain over a day"
    assert nurses.title == f"Monitoring alert: {severity}, {words}"


def test_a_warning_is_shared_without_chasing_anyone(runtime, world):
    opened = alert(world, "warning", "missed-readings")
    world.deliver(opened)
    assert set(urgency_of(runtime, opened.id).values()) == {"routine"}
    assert set(urgency_of(runtime, opened.id)) == {(P, world.nurse), (P, world.coordinator)}


@pytest.mark.parametrize("disposition", ["emergency", "same-day"])
def test_a_triage_call_that_cannot_wait_is_urgent_to_the_team(runtime, world, disposition):
    call = triage(world, disposition)
    world.deliver(call)
    assert urgency_of(runtime, call.id) == {(P, world.nurse): "urgent", (P, world.coordinator): "urgent"}


@pytest.mark.parametrize("disposition", ["book-within-days", "home-care"])
def test_other_triage_calls_tell_nobody(runtime, world, disposition):
    call = triage(world, disposition)
    world.deliver(call)
    assert notifications(runtime, call.id) == []
