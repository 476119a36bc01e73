"""The envelope and the schema registry: strict for producers, lenient for
consumers."""
import json
import uuid
from datetime import datetime, timezone

import pytest

from carebridge.events import Event, InvalidEventData, MalformedEvent, UnknownEventType, registry
from carebridge.testing import make_event


def care_team_data(**overrides):
    data = {"care_team_id": uuid.uuid4(), "patient_id": uuid.uuid4(), "revision": 1, "status": "active",
            "lead_coordinator_id": None,
            "members": [{"membership_id": uuid.uuid4(), "practitioner_id": uuid.uuid4(), "role": "nurse",
                         "period_start": datetime(2026, 1, 1, tzinfo=timezone.utc), "period_end": None}]}
    data.update(overrides)
    return data


def test_envelope_round_trips_through_json():
    event = make_event("patients.care-team-changed", care_team_data(), correlation_id="req-1")
    again = Event.from_json(event.to_json())
    assert again == event
    assert again.routing_key == "patients.care-team-changed"


def test_producer_validation_refuses_unknown_fields():
    with pytest.raises(InvalidEventData) as error:
        registry.validate_for_publish("patients.care-team-changed", 1, care_team_data(name="Jane Doe"))
    assert "name" in error.value.errors


def test_producer_validation_refuses_bad_values():
    with pytest.raises(InvalidEventData):
        registry.validate_for_publish("patients.care-team-changed", 1, care_team_data(status="happy"))
    with pytest.raises(InvalidEventData):
        registry.validate_for_publish("patients.care-team-changed", 1, care_team_data(
            members=[{"membership_id": uuid.uuid4(), "practitioner_id": uuid.uuid4(), "role": "nurse",
                      "period_start": datetime(2026, 1, 1)}]))  # naive time


def test_consumer_validation_drops_unknown_fields_and_deserialises():
    raw = registry.validate_for_publish("patients.care-team-changed", 1, care_team_data())
    raw["added_in_a_later_release"] = "ignored"
    loaded = registry.validate_on_receipt("patients.care-team-changed", 1, raw)
    assert "added_in_a_later_release" not in loaded
    assert isinstance(loaded["patient_id"], uuid.UUID)
    assert loaded["members"][0]["period_start"].tzinfo is not None


def test_envelope_with_unknown_top_level_fields_still_loads():
    event = make_event("patients.care-team-changed", care_team_data())
    raw = event.to_dict() | {"trace": {"span": "x"}}
    assert Event.from_dict(raw).id == event.id


@pytest.mark.parametrize("body", [b"not json", b"[]", json.dumps({"id": "x"}).encode()])
def test_malformed_envelopes_are_recognised(body):
    with pytest.raises(MalformedEvent):
        Event.from_json(body)


def _envelope(**changes):
    raw = make_event("patients.care-team-changed", care_team_data(), correlation_id="req-1").to_dict()
    raw.update(changes)
    return raw


@pytest.mark.parametrize("changes", [
    {}, {"causation_id": None}, {"causation_id": "evt-0"}, {"occurred_at": "2026-03-02T09:00:00Z"},
    {"occurred_at": "2026-03-02T09:00:00.123456-05:00"}, {"id": "0A2B1E3C-0000-4000-8000-000000000001"},
])
def test_the_direct_envelope_check_reads_what_the_schema_reads(changes):
    from carebridge.events.envelope import _envelope_schema, _well_formed
    raw = _envelope(**changes)
    assert _well_formed(raw) == Event(**_envelope_schema.load(raw))


@pytest.mark.parametrize("changes", [
    {"id": "not-a-uuid"}, {"id": 7}, {"type": "Not.A-Type"}, {"type": "patients"}, {"version": 0},
    {"version": "1"}, {"version": True}, {"version": 1.5}, {"occurred_at": "2026-03-02T09:00:00"},
    {"occurred_at": "yesterday"}, {"producer": ""}, {"producer": "p" * 41}, {"correlation_id": ""},
    {"correlation_id": "c" * 129}, {"causation_id": "c" * 129}, {"causation_id": 5}, {"data": []},
    {"data": None},
])
def test_anything_off_in_an_envelope_is_malformed(changes):
    from carebridge.events.envelope import _well_formed
    raw = _envelope(**changes)
    assert _well_formed(raw) is None
    with pytest.raises(MalformedEvent):
        Event.from_dict(raw)


@pytest.mark.parametrize("missing", ["id", "type", "version", "occurred_at", "producer", "correlation_id", "data"])
def test_an_envelope_without_a_required_field_is_malformed(missing):
    raw = _envelope()
    del raw[missing]
    with pytest.raises(MalformedEvent):
        Event.from_dict(raw)


def test_unknown_type_or_version_is_reported():
    with pytest.raises(UnknownEventType):
        registry.schema("patients.patient-registered", 99)
    assert registry.knows("patients.patient-registered", 1)


def test_every_event_named_in_the_architecture_has_a_schema():
    names = {t for t, _v in registry.types()}
    expected = {
        "patients.patient-registered", "patients.patient-updated", "patients.care-team-changed",
        "patients.related-person-changed", "patients.allergy-changed",
        "careplans.plan-updated", "careplans.plan-status-changed", "careplans.task-assigned",
        "careplans.task-overdue", "careplans.medication-alert",
        "scheduling.appointment-booked", "scheduling.appointment-rescheduled", "scheduling.appointment-cancelled",
        "scheduling.appointment-checked-in", "scheduling.appointment-completed", "scheduling.appointment-missed",
        "scheduling.appointment-reminder-due", "scheduling.waitlist-offered",
        "billing.prior-auth-requested", "billing.prior-auth-decided", "billing.claim-submitted",
        "billing.claim-denied", "billing.claim-paid", "billing.issue-opened", "billing.issue-resolved",
        "notifications.delivery-failed",
    }
    assert expected <= names


def test_money_is_an_exact_decimal_string():
    data = registry.validate_for_publish("billing.claim-paid", 1, {
        "claim_id": uuid.uuid4(), "patient_id": uuid.uuid4(),
        "paid": {"amount": "120.10", "currency": "USD"},
        "patient_responsibility": {"amount": "30.00", "currency": "USD"}})
    assert data["paid"] == {"amount": "120.10", "currency": "USD"}
