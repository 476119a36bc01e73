"""The events the billing service reacts to: one line per event type and version."""
from carebridge.access import apply_care_team_changed
from carebridge.subscriptions import EventSubscriptions

from .handlers import appointment_booked, appointment_cancelled, appointment_completed, appointment_missed, monitoring

subscriptions = EventSubscriptions()
subscriptions.subscribe("patients.care-team-changed", 1, apply_care_team_changed)
subscriptions.subscribe("scheduling.appointment-booked", 1, appointment_booked.check_prior_authorization)
subscriptions.subscribe("scheduling.appointment-cancelled", 1, appointment_cancelled.release_prior_authorization)
subscriptions.subscribe("scheduling.appointment-missed", 1, appointment_missed.release_prior_authorization_unit)
subscriptions.subscribe("scheduling.appointment-completed", 1, appointment_completed.charge_visit)
subscriptions.subscribe("monitoring.enrolment-changed", 1, monitoring.keep_enrolment)
subscriptions.subscribe("monitoring.reading-days-recorded", 1, monitoring.keep_reading_days)
subscriptions.subscribe("monitoring.time-recorded", 1, monitoring.keep_monitoring_minutes)
