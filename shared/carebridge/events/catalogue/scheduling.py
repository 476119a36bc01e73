"""Events published by the scheduling service."""
from marshmallow import fields, validate

from ..registry import registry
from .common import CLINICAL_SETTINGS, DataSchema

APPOINTMENT_STATUSES = ("proposed", "pending", "booked", "arrived", "checked-in", "fulfilled",
                        "cancelled", "noshow", "entered-in-error", "waitlist")
CANCEL_REASONS = ("patient-request", "provider-unavailable", "patient-deactivated", "rescheduled",
                  "duplicate", "weather", "other")


class _AppointmentReference(DataSchema):
    appointment_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    practitioner_id = fields.UUID(required=True)
    appointment_type_code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    # The billing code of the visit (for example CPT 99214).
    service_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    setting = fields.String(required=True, validate=validate.OneOf(CLINICAL_SETTINGS))
    location_id = fields.UUID(load_default=None, allow_none=True)
    start = fields.AwareDateTime(required=True)
    end = fields.AwareDateTime(required=True)
    status = fields.String(required=True, validate=validate.OneOf(APPOINTMENT_STATUSES))
    # Set when the visit was booked from a care plan's follow-up or therapy activity.
    care_plan_id = fields.UUID(load_default=None, allow_none=True)
    plan_activity_id = fields.UUID(load_default=None, allow_none=True)


@registry.register("scheduling.appointment-booked", 1)
class AppointmentBookedV1(_AppointmentReference):
    booked_by = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    telehealth = fields.Boolean(load_default=False)
    # A visit of a recurring course booked at once: the course, this visit's
    # place in it (1 = the first) and how many were booked.
    series_id = fields.UUID(load_default=None, allow_none=True)
    series_index = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    series_size = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))


@registry.register("scheduling.appointment-rescheduled", 1)
class AppointmentRescheduledV1(_AppointmentReference):
    previous_start = fields.AwareDateTime(required=True)
    previous_end = fields.AwareDateTime(required=True)
    previous_practitioner_id = fields.UUID(load_default=None, allow_none=True)


@registry.register("scheduling.appointment-cancelled", 1)
class AppointmentCancelledV1(_AppointmentReference):
    reason_code = fields.String(required=True, validate=validate.OneOf(CANCEL_REASONS))
    cancelled_by = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


@registry.register("scheduling.appointment-checked-in", 1)
class AppointmentCheckedInV1(_AppointmentReference):
    checked_in_at = fields.AwareDateTime(required=True)


@registry.register("scheduling.appointment-completed", 1)
class AppointmentCompletedV1(_AppointmentReference):
    completed_at = fields.AwareDateTime(required=True)


@registry.register("scheduling.appointment-missed", 1)
class AppointmentMissedV1(_AppointmentReference):
    detected_at = fields.AwareDateTime(required=True)
    grace_minutes = fields.Integer(required=True, validate=validate.Range(min=0))


@registry.register("scheduling.appointment-noshow-corrected", 1)
class AppointmentNoShowCorrectedV1(_AppointmentReference):
    """Staff corrected a wrong no-show; `status` is the status it now has."""
    corrected_by = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


@registry.register("scheduling.appointment-authorization-at-risk", 1)
class AppointmentAuthorizationAtRiskV1(_AppointmentReference):
    """A booked visit whose prior authorization billing reported denied,
    expired, or expiring before the visit."""
    issue = fields.String(required=True, validate=validate.OneOf(("denied", "expired", "expiring")))
    prior_auth_id = fields.UUID(required=True)


@registry.register("scheduling.appointment-reminder-due", 1)
class AppointmentReminderDueV1(_AppointmentReference):
    offset_minutes = fields.Integer(required=True, validate=validate.Range(min=1))
    telehealth = fields.Boolean(load_default=False)


@registry.register("scheduling.waitlist-offered", 1)
class WaitlistOfferedV1(DataSchema):
    waitlist_entry_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    practitioner_id = fields.UUID(required=True)
    appointment_type_code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    slot_start = fields.AwareDateTime(required=True)
    slot_end = fields.AwareDateTime(required=True)
    hold_expires_at = fields.AwareDateTime(required=True)
