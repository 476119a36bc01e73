"""The events the careplans service reacts to: one line per event type and version."""
from carebridge.access import apply_care_team_changed
from carebridge.subscriptions import EventSubscriptions

from .handlers import (allergy_changed, appointment_answered, appointment_booked, appointment_cancelled,
                       appointment_completed, appointment_known, appointment_missed, appointment_noshow_corrected,
                       appointment_rescheduled, care_team_changed, check_in_answered, delivery_failed,
                       monitoring_alert_closed, monitoring_alert_opened, monitoring_triage_recorded,
                       patient_registered, patient_updated, practitioner_training_changed, prior_auth_at_risk)

subscriptions = EventSubscriptions()
subscriptions.subscribe("scheduling.appointment-booked", 1, appointment_booked.mark_visit_booked)
subscriptions.subscribe("scheduling.appointment-cancelled", 1, appointment_cancelled.reopen_cancelled_visit)
subscriptions.subscribe("scheduling.appointment-rescheduled", 1, appointment_rescheduled.keep_visit_time)
subscriptions.subscribe("scheduling.appointment-completed", 1, appointment_completed.complete_visit_and_plan_check_in)
subscriptions.subscribe("scheduling.appointment-missed", 1, appointment_missed.open_outreach_task)
subscriptions.subscribe("scheduling.appointment-noshow-corrected", 1, appointment_noshow_corrected.close_outreach_task)
# Whose each visit is (the appointment ids check-ins and tasks name).
subscriptions.subscribe("scheduling.appointment-booked", 1, appointment_known.remember_whose_appointment)
subscriptions.subscribe("scheduling.appointment-cancelled", 1, appointment_known.remember_whose_appointment)
subscriptions.subscribe("scheduling.appointment-completed", 1, appointment_known.remember_whose_appointment)
subscriptions.subscribe("scheduling.appointment-missed", 1, appointment_known.remember_whose_appointment)
subscriptions.subscribe("patients.care-team-changed", 1, apply_care_team_changed)
subscriptions.subscribe("patients.care-team-changed", 1, care_team_changed.keep_task_owners_current)
subscriptions.subscribe("patients.allergy-changed", 1, allergy_changed.keep_allergy)
subscriptions.subscribe("patients.patient-registered", 1, patient_registered.know_patient)
subscriptions.subscribe("patients.patient-updated", 1, patient_updated.keep_patient_status)
subscriptions.subscribe("patients.practitioner-training-changed", 1, practitioner_training_changed.keep_mentorship)
subscriptions.subscribe("monitoring.alert-opened", 1, monitoring_alert_opened.open_alert_task)
subscriptions.subscribe("monitoring.alert-closed", 1, monitoring_alert_closed.complete_alert_task)
subscriptions.subscribe("monitoring.triage-recorded", 1, monitoring_triage_recorded.open_triage_task)
subscriptions.subscribe("notifications.appointment-answered", 1, appointment_answered.open_reschedule_task)
subscriptions.subscribe("notifications.delivery-failed", 1, delivery_failed.open_unreachable_task)
subscriptions.subscribe("notifications.check-in-answered", 1, check_in_answered.open_task_when_worse)
subscriptions.subscribe("billing.prior-auth-decided", 1, prior_auth_at_risk.open_task_for_decision)
subscriptions.subscribe("billing.prior-auth-expiring", 1, prior_auth_at_risk.open_task_before_expiry)
