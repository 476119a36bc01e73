"""The events the billing service reacts to: one line per event type and version."""
from carebridge.access import apply_care_team_changed
from carebridge.subscriptions import EventSubscriptions

from .handlers.appointment_booked import check_prior_authorization
from .handlers.appointment_cancelled import release_prior_authorization
from .handlers.appointment_completed import charge_visit
from .handlers.appointment_missed import release_prior_authorization_unit

subscriptions = EventSubscriptions()
subscriptions.subscribe("patients.care-team-changed", 1, apply_care_team_changed)
subscriptions.subscribe("scheduling.appointment-booked", 1, check_prior_authorization)
subscriptions.subscribe("scheduling.appointment-cancelled", 1, release_prior_authorization)
subscriptions.subscribe("scheduling.appointment-missed", 1, release_prior_authorization_unit)
subscriptions.subscribe("scheduling.appointment-completed", 1, charge_visit)
