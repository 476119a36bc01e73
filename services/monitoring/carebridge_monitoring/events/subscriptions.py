"""The events the monitoring service reacts to: one line per event type and version."""
from carebridge.access import apply_care_team_changed
from carebridge.subscriptions import EventSubscriptions

from .handlers import patient_registered, patient_updated, plan_updated

subscriptions = EventSubscriptions()
# Who may see which patient.
subscriptions.subscribe("patients.care-team-changed", 1, apply_care_team_changed)
subscriptions.subscribe("patients.patient-registered", 1, patient_registered.remember_patient)
subscriptions.subscribe("patients.patient-updated", 1, patient_updated.follow_patient)
# Limits set by a care plan's monitoring activities.
subscriptions.subscribe("careplans.plan-updated", 1, plan_updated.apply_plan_limits)
