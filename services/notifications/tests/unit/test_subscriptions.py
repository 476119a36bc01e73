"""What the service subscribes to, pinned: the fan-out subscriptions come
from the routing rules, so this list is what catches a rule added, dropped
or renamed by mistake, and a projection lost on the way."""
from carebridge.access import apply_care_team_changed
from carebridge_notifications.domain.routing_rules import RULES
from carebridge_notifications.events.handlers import (patient_registered, patient_updated, practitioner_changed,
                                                      practitioner_training_changed, related_person_changed,
                                                      routed_events)
from carebridge_notifications.service import SERVICE

# Every (type, version) the service reacted to when each had a module of its own.
SUBSCRIBED = {
    ("patients.care-team-changed", 1), ("patients.patient-registered", 1), ("patients.patient-updated", 1),
    ("patients.practitioner-changed", 1), ("patients.related-person-changed", 1),
    ("patients.practitioner-training-changed", 1),
    ("careplans.plan-updated", 1), ("careplans.task-assigned", 1), ("careplans.task-overdue", 1),
    ("careplans.medication-alert", 1), ("careplans.plan-summary-sent", 1),
    ("scheduling.appointment-missed", 1), ("scheduling.appointment-reminder-due", 1),
    ("scheduling.appointment-booked", 1), ("scheduling.appointment-rescheduled", 1),
    ("scheduling.appointment-cancelled", 1), ("scheduling.waitlist-offered", 1),
    ("scheduling.appointment-authorization-at-risk", 1),
    ("billing.prior-auth-requested", 1), ("billing.prior-auth-decided", 1), ("billing.claim-denied", 1),
    ("billing.issue-opened", 1), ("billing.estimate-sent", 1), ("billing.claim-paid", 1),
    ("monitoring.alert-opened", 1), ("monitoring.triage-recorded", 1),
    # For outside subscribers (webhooks) only.
    ("careplans.plan-status-changed", 1), ("scheduling.appointment-checked-in", 1), ("billing.claim-submitted", 1),
    ("billing.issue-resolved", 1),
}
# The recipient directory and the care teams: one event at a time, one handler each.
PROJECTIONS = {
    ("patients.care-team-changed", 1): apply_care_team_changed,
    ("patients.patient-registered", 1): patient_registered.remember_patient,
    ("patients.patient-updated", 1): patient_updated.update_patient,
    ("patients.practitioner-changed", 1): practitioner_changed.update_staff_directory,
    ("patients.related-person-changed", 1): related_person_changed.update_related_person,
    ("patients.practitioner-training-changed", 1): practitioner_training_changed.keep_training_flag,
}
# What the kit subscribes every consuming service to: the other services'
# audit checkpoints, kept (carebridge.audit.checkpoints).
KIT = {("*.audit-checkpointed", 1)}
subscriptions = SERVICE.subscriptions


def test_exactly_the_event_types_and_versions_subscribed_before():
    assert set(subscriptions.subscribed()) == SUBSCRIBED | KIT


def test_the_subscriptions_are_the_routing_rules_and_the_projections():
    assert set(subscriptions.subscribed()) == {(event_type, 1) for event_type in RULES} | set(PROJECTIONS) | KIT


def test_every_routed_event_is_fanned_out_in_bursts_by_the_one_handler():
    for event_type in RULES:
        assert subscriptions.handlers_for(event_type, 1) == [routed_events.notify_audiences], event_type
    assert subscriptions.takes_batches(routed_events.notify_audiences)


def test_each_directory_event_has_its_own_handler_applied_one_event_at_a_time():
    for (event_type, version), handler in PROJECTIONS.items():
        assert subscriptions.handlers_for(event_type, version) == [handler], event_type
        assert not subscriptions.takes_batches(handler), event_type
