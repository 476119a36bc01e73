"""The events the scheduling service reacts to: one line per event type and version."""
from carebridge.access import apply_care_team_changed
from carebridge.subscriptions import EventSubscriptions

from .handlers import appointment_answered, patient_registered, patient_updated, plan_updated, prior_auth_at_risk

subscriptions = EventSubscriptions()
# Who may see which patient.
subscriptions.subscribe("patients.care-team-changed", 1, apply_care_team_changed)
subscriptions.subscribe("patients.patient-registered", 1, patient_registered.remember_patient)
subscriptions.subscribe("patients.patient-updated", 1, patient_updated.follow_patient_status)
subscriptions.subscribe("careplans.plan-updated", 1, plan_updated.list_visits_to_book)
subscriptions.subscribe("notifications.appointment-answered", 1, appointment_answered.cancel_when_asked)
subscriptions.subscribe("billing.prior-auth-decided", 1, prior_auth_at_risk.flag_visits_of_decision)
subscriptions.subscribe("billing.prior-auth-expiring", 1, prior_auth_at_risk.flag_visits_after_expiry)
subscriptions.subscribe("careplans.plan-updated", 1, plan_updated.remember_whose_plan)
