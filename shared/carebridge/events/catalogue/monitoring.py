"""Events published by the monitoring service (remote patient monitoring and
telephone triage). Identifiers, codes, counts and times only: no readings'
values, answers or notes leave the service in an event."""
from marshmallow import fields, validate

from ..registry import registry
from .common import DataSchema

MEASURES = ("blood-pressure", "heart-rate", "weight", "blood-glucose", "spo2", "temperature")
CONDITIONS = ("general", "heart-failure", "hypertension", "diabetes")
ALERT_SEVERITIES = ("warning", "urgent", "critical")
ALERT_CLOSE_REASONS = ("action-recorded", "enrolment-ended")
TRIAGE_DISPOSITIONS = ("emergency", "same-day", "book-within-days", "home-care")
TRIAGE_PROTOCOLS = ("chest-pain", "shortness-of-breath", "fever", "fall", "medication-question",
                    "high-blood-pressure-reading")
MONITORING_ACTIVITIES = ("review", "patient-call", "care-coordination", "alert-response", "education")


@registry.register("monitoring.enrolment-changed", 1)
class EnrolmentChangedV1(DataSchema):
    """An enrolment started, changed its limits or ended; `revision` is its version."""
    enrolment_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("active", "ended")))
    condition = fields.String(required=True, validate=validate.OneOf(CONDITIONS))
    measures = fields.List(fields.String(validate=validate.OneOf(MEASURES)), required=True)
    consent_date = fields.Date(required=True)
    started_at = fields.AwareDateTime(required=True)
    ended_at = fields.AwareDateTime(load_default=None, allow_none=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))


@registry.register("monitoring.reading-days-recorded", 1)
class ReadingDaysRecordedV1(DataSchema):
    """Calendar days (the patient's time zone) that got their first reading."""
    enrolment_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    days = fields.List(fields.Date(), required=True, validate=validate.Length(min=1))


@registry.register("monitoring.time-recorded", 1)
class TimeRecordedV1(DataSchema):
    """Minutes of monitoring work by staff."""
    time_entry_id = fields.UUID(required=True)
    enrolment_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    practitioner_id = fields.UUID(load_default=None, allow_none=True)
    activity = fields.String(required=True, validate=validate.OneOf(MONITORING_ACTIVITIES))
    minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=600))
    performed_at = fields.AwareDateTime(required=True)
    # The calendar day of the work in the patient's time zone (the billing month).
    performed_on = fields.Date(required=True)


@registry.register("monitoring.alert-opened", 1)
class AlertOpenedV1(DataSchema):
    """A rule fired: one alert per episode (per enrolment and rule while open)."""
    alert_id = fields.UUID(required=True)
    enrolment_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    rule_code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    measure = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(MEASURES))
    severity = fields.String(required=True, validate=validate.OneOf(ALERT_SEVERITIES))
    reading_ids = fields.List(fields.UUID(), required=True)
    opened_at = fields.AwareDateTime(required=True)


@registry.register("monitoring.alert-closed", 1)
class AlertClosedV1(DataSchema):
    alert_id = fields.UUID(required=True)
    enrolment_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    rule_code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    reason = fields.String(required=True, validate=validate.OneOf(ALERT_CLOSE_REASONS))
    action_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    closed_by = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    closed_at = fields.AwareDateTime(required=True)


@registry.register("monitoring.triage-recorded", 1)
class TriageRecordedV1(DataSchema):
    triage_call_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    protocol_code = fields.String(required=True, validate=validate.OneOf(TRIAGE_PROTOCOLS))
    disposition = fields.String(required=True, validate=validate.OneOf(TRIAGE_DISPOSITIONS))
    # For book-within-days: the visit is to be booked by this many days after the call.
    book_within_days = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=30))
    nurse_id = fields.UUID(load_default=None, allow_none=True)
    called_at = fields.AwareDateTime(required=True)
