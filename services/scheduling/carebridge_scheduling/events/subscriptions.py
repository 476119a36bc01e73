"""The events the scheduling service reacts to: one line per event type and version."""
from carebridge.access import apply_care_team_changed
from carebridge.subscriptions import EventSubscriptions

from .handlers import patient_registered, patient_updated, plan_updated

subscriptions = EventSubscriptions()
subscriptions.subscribe("patients.care-team-changed", 1, apply_care_team_changed)  # who may see which patient
subscriptions.include(patient_registered.handles)  # patients.patient-registered v1
subscriptions.include(patient_updated.handles)  # patients.patient-updated v1
subscriptions.include(plan_updated.handles)  # careplans.plan-updated v1
