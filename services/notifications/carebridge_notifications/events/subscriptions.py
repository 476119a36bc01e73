"""The events the notifications service reacts to: one line per event type and version.

The handler modules decorate their function with `subscriptions.handler`;
importing a module below subscribes it.
"""
from carebridge.access import apply_care_team_changed
from carebridge.subscriptions import EventSubscriptions

subscriptions = EventSubscriptions()

# Who is on which care team, when: the basis of routing and of access checks.
subscriptions.subscribe("patients.care-team-changed", 1, apply_care_team_changed)
from .handlers import patient_registered  # noqa: E402,F401  patients.patient-registered v1
from .handlers import patient_updated  # noqa: E402,F401  patients.patient-updated v1
from .handlers import practitioner_changed  # noqa: E402,F401  patients.practitioner-changed v1
from .handlers import related_person_changed  # noqa: E402,F401  patients.related-person-changed v1
from .handlers import plan_updated  # noqa: E402,F401  careplans.plan-updated v1
from .handlers import task_assigned  # noqa: E402,F401  careplans.task-assigned v1
from .handlers import task_overdue  # noqa: E402,F401  careplans.task-overdue v1
from .handlers import medication_alert  # noqa: E402,F401  careplans.medication-alert v1
from .handlers import appointment_missed  # noqa: E402,F401  scheduling.appointment-missed v1
from .handlers import appointment_reminder_due  # noqa: E402,F401  scheduling.appointment-reminder-due v1
from .handlers import appointment_booked  # noqa: E402,F401  scheduling.appointment-booked v1
from .handlers import appointment_rescheduled  # noqa: E402,F401  scheduling.appointment-rescheduled v1
from .handlers import appointment_cancelled  # noqa: E402,F401  scheduling.appointment-cancelled v1
from .handlers import waitlist_offered  # noqa: E402,F401  scheduling.waitlist-offered v1
from .handlers import prior_auth_requested  # noqa: E402,F401  billing.prior-auth-requested v1
from .handlers import prior_auth_decided  # noqa: E402,F401  billing.prior-auth-decided v1
from .handlers import claim_denied  # noqa: E402,F401  billing.claim-denied v1
from .handlers import issue_opened  # noqa: E402,F401  billing.issue-opened v1
