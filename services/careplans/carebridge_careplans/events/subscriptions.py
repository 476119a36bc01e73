"""The events the careplans service reacts to: one line per event type and version."""
from carebridge.access import apply_care_team_changed
from carebridge.subscriptions import EventSubscriptions

from .handlers import (allergy_changed, appointment_booked, appointment_cancelled, appointment_completed,
                       appointment_known, appointment_missed, care_team_changed, patient_registered, patient_updated)

subscriptions = EventSubscriptions()
subscriptions.subscribe("scheduling.appointment-booked", 1, appointment_booked.mark_visit_booked)
subscriptions.subscribe("scheduling.appointment-cancelled", 1, appointment_cancelled.reopen_cancelled_visit)
subscriptions.subscribe("scheduling.appointment-completed", 1, appointment_completed.complete_visit_and_plan_check_in)
subscriptions.subscribe("scheduling.appointment-missed", 1, appointment_missed.open_outreach_task)
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
