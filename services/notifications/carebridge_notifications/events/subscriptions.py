"""The events the notifications service reacts to: one line per event type and version.

The recipient directory is kept from the patients service's events, one
subscription each. The events it fans out are not listed here a second
time: `domain/routing_rules.RULES` already names every one of them (with who
hears it and how), and the fan-out of an event without a rule could only
fail. Subscribing from the rules keeps the two from drifting apart: a new
rule is subscribed by being written, and nothing is subscribed that has no
rule. `tests/unit/test_subscriptions.py` pins the resulting list.
"""
from carebridge.access import apply_care_team_changed
from carebridge.subscriptions import EventSubscriptions

from ..domain.routing_rules import RULES
from .handlers import (patient_registered, patient_updated, practitioner_changed, practitioner_training_changed,
                       related_person_changed, routed_events)

subscriptions = EventSubscriptions()

# Who is on which care team, when: the basis of routing and of access checks.
subscriptions.subscribe("patients.care-team-changed", 1, apply_care_team_changed)
subscriptions.subscribe("patients.patient-registered", 1, patient_registered.remember_patient)
subscriptions.subscribe("patients.patient-updated", 1, patient_updated.update_patient)
subscriptions.subscribe("patients.practitioner-changed", 1, practitioner_changed.update_staff_directory)
subscriptions.subscribe("patients.related-person-changed", 1, related_person_changed.update_related_person)
subscriptions.subscribe("patients.practitioner-training-changed", 1, practitioner_training_changed.keep_training_flag)

# The rules are written against version 1 of each event's data (escalations
# read the stored data back as version 1 too).
for event_type in RULES:
    subscriptions.subscribe(event_type, 1, routed_events.notify_audiences, batch=True)
