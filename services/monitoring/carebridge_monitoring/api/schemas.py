"""Request and response bodies of the monitoring API."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import ValidationError, fields, validate

from carebridge.events.catalogue.monitoring import (ALERT_SEVERITIES, CONDITIONS, MEASURES, MONITORING_ACTIVITIES,
                                                     TRIAGE_DISPOSITIONS, TRIAGE_PROTOCOLS)
from carebridge.web import PageArgs

from ..domain.measures import UNITS
from ..domain.rules import MAX_CONSECUTIVE, MAX_RULE_DAYS, RULE_KINDS
from ..domain.triage import CALLER_TYPES
from ..service_layer.alerts import ACTION_CODES
from .common import calendar_day, moment, time_zone_field, value_field

LIMIT = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(min=0, max=1500))


class Limits(ma.Schema):
    """Limits of one measure, in its canonical unit (mm[Hg] for the
    systolic pressure, /min, kg, mg/dL, %, Cel)."""
    low = LIMIT
    high = LIMIT
    critical_low = LIMIT
    critical_high = LIMIT


def _at_most_50_kg(value) -> None:
    # Not validate.Range: the field is documented as a string (with a
    # pattern), and a Range would document numeric bounds on it.
    if not 0 <= value <= 50:
        raise ValidationError("Must be between 0 and 50 kg.")


class Rule(ma.Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,59}$"))
    kind = fields.String(required=True, validate=validate.OneOf(RULE_KINDS))
    severity = fields.String(required=True, validate=validate.OneOf(ALERT_SEVERITIES))
    days = fields.Integer(validate=validate.Range(min=1, max=MAX_RULE_DAYS))
    gain_kg = fields.Decimal(as_string=True, allow_nan=False, validate=_at_most_50_kg,
                             metadata={"type": "string", "pattern": r"^\d{1,2}(\.\d{1,2})?$"})
    measure = fields.String(validate=validate.OneOf(MEASURES))
    count = fields.Integer(validate=validate.Range(min=2, max=MAX_CONSECUTIVE))


LIMITS_BY_MEASURE = dict(keys=fields.String(validate=validate.OneOf(MEASURES)), values=fields.Nested(Limits))


class Device(ma.Schema):
    kind = fields.String(required=True, validate=validate.Length(min=1, max=40))
    serial = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$"))


class EnrolmentCreateSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    condition = fields.String(required=True, validate=validate.OneOf(CONDITIONS))
    measures = fields.List(fields.String(validate=validate.OneOf(MEASURES)), required=True,
                           validate=validate.Length(min=1, max=len(MEASURES)))
    device = fields.Nested(Device, required=True)
    consent_date = calendar_day(required=True)
    time_zone = time_zone_field(metadata={"description": "Only until the patient's registration has arrived; "
                                                         "the patient's own time zone wins."})
    limits = fields.Dict(**LIMITS_BY_MEASURE, metadata={"description": "Overrides of the condition's defaults"})
    rules = fields.List(fields.Nested(Rule), metadata={"description": "Instead of the condition's defaults"})


class EnrolmentSchema(ma.Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    condition = fields.String(validate=validate.OneOf(CONDITIONS))
    measures = fields.List(fields.String(validate=validate.OneOf(MEASURES)))
    device = fields.Method("_device", metadata={"type": "object", "properties": {
        "kind": {"type": "string"}, "serial": {"type": "string"}}})
    consent_date = fields.Date()
    time_zone = fields.String()
    status = fields.String(validate=validate.OneOf(("active", "ended")))
    limits = fields.Dict(**LIMITS_BY_MEASURE)
    rules = fields.List(fields.Nested(Rule))
    limits_plan_id = fields.UUID(allow_none=True, metadata={
        "description": "the care plan whose monitoring activity last set limits here, if any"})
    limits_plan_version = fields.Integer(allow_none=True, metadata={"description": "that plan's version"})
    started_at = moment()
    ended_at = moment(allow_none=True)
    end_reason = fields.String(allow_none=True)
    last_reading_at = moment(allow_none=True)
    version = fields.Integer()

    def _device(self, enrolment):
        return {"kind": enrolment.device_kind, "serial": enrolment.device_serial}


class EnrolmentListArgs(PageArgs):
    patient_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(("active", "ended")))


class LimitsChangeSchema(ma.Schema):
    limits = fields.Dict(**LIMITS_BY_MEASURE, required=True)
    rules = fields.List(fields.Nested(Rule))


class EndingSchema(ma.Schema):
    reason = fields.String(required=True, validate=validate.OneOf(
        ("patient-request", "goals-met", "no-longer-eligible", "device-returned", "other")))


class ReadingIn(ma.Schema):
    patient_id = fields.UUID(metadata={"description": "Staff and apps; a gateway gives device_serial instead"})
    device_serial = fields.String(validate=validate.Length(min=1, max=80))
    measure = fields.String(required=True, validate=validate.OneOf(MEASURES))
    value = fields.Float(required=True, allow_nan=False,
                         metadata={"description": "The value (the systolic pressure for blood-pressure)"})
    diastolic = fields.Float(allow_nan=False, metadata={"description": "blood-pressure only"})
    unit = fields.String(required=True, validate=validate.OneOf(UNITS), metadata={"description": "UCUM"})
    taken_at = moment(required=True)

    @ma.validates_schema
    def _who(self, data, **kwargs):
        if not data.get("patient_id") and not data.get("device_serial"):
            raise ma.ValidationError("give patient_id or device_serial", "patient_id")


class SingleReadingIn(ReadingIn):
    patient_id = fields.UUID(required=True)


class BatchIn(ma.Schema):
    readings = fields.List(fields.Nested(ReadingIn), required=True, validate=validate.Length(min=1, max=1000))


class ReadingSchema(ma.Schema):
    id = fields.UUID()
    enrolment_id = fields.UUID()
    patient_id = fields.UUID()
    measure = fields.String(validate=validate.OneOf(MEASURES))
    value = value_field()
    diastolic = value_field(attribute="value2", allow_none=True)
    unit = fields.String()
    sent_unit = fields.String()
    device_serial = fields.String()
    source = fields.String(validate=validate.OneOf(("device", "staff")))
    taken_at = moment()
    received_at = moment()


class ReadingListArgs(PageArgs):
    patient_id = fields.UUID(required=True)
    measure = fields.String(validate=validate.OneOf(MEASURES))


class ReadingResult(ma.Schema):
    index = fields.Integer()
    status = fields.String(validate=validate.OneOf(("stored", "duplicate", "refused")))
    reading_id = fields.UUID(allow_none=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class BatchResultSchema(ma.Schema):
    stored = fields.Integer()
    duplicates = fields.Integer()
    refused = fields.Integer()
    alerts_opened = fields.List(fields.UUID())
    results = fields.List(fields.Nested(ReadingResult))


class AlertSchema(ma.Schema):
    id = fields.UUID()
    enrolment_id = fields.UUID()
    patient_id = fields.UUID()
    rule_code = fields.String()
    measure = fields.String(allow_none=True, validate=validate.OneOf(MEASURES))
    severity = fields.String(validate=validate.OneOf(ALERT_SEVERITIES))
    status = fields.String(validate=validate.OneOf(("open", "closed")))
    opened_at = moment()
    closed_at = moment(allow_none=True)
    closed_by = fields.String(allow_none=True)
    action_code = fields.String(allow_none=True, validate=validate.OneOf(ACTION_CODES))
    action_note = fields.String(allow_none=True)
    version = fields.Integer()
    readings = fields.List(fields.Nested(ReadingSchema))


class AlertListItemSchema(AlertSchema):
    class Meta:
        exclude = ("readings",)


class AlertListArgs(PageArgs):
    patient_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(("open", "closed")))
    severity = fields.String(validate=validate.OneOf(ALERT_SEVERITIES))


class AlertActionSchema(ma.Schema):
    action_code = fields.String(required=True, validate=validate.OneOf(ACTION_CODES))
    note = fields.String(validate=validate.Length(max=2000))
    minutes = fields.Integer(validate=validate.Range(min=1, max=600),
                             metadata={"description": "Minutes spent, counted as monitoring time"})


class TimeEntryCreateSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    activity = fields.String(required=True, validate=validate.OneOf(MONITORING_ACTIVITIES))
    minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=600))
    performed_at = moment(required=True)


class TimeEntrySchema(ma.Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    enrolment_id = fields.UUID()
    alert_id = fields.UUID(allow_none=True)
    practitioner_id = fields.UUID(allow_none=True)
    activity = fields.String(validate=validate.OneOf(MONITORING_ACTIVITIES))
    minutes = fields.Integer()
    performed_at = moment()
    recorded_by = fields.String()


class PatientListArgs(PageArgs):
    patient_id = fields.UUID(required=True)


class Question(ma.Schema):
    code = fields.String()
    text = fields.String()


class ProtocolSchema(ma.Schema):
    code = fields.String(validate=validate.OneOf(TRIAGE_PROTOCOLS))
    title = fields.String()
    questions = fields.List(fields.Nested(Question))
    advice = fields.Dict(keys=fields.String(validate=validate.OneOf(TRIAGE_DISPOSITIONS)), values=fields.String())


class TriageCallCreateSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    caller_type = fields.String(required=True, validate=validate.OneOf(CALLER_TYPES))
    caller_name = fields.String(validate=validate.Length(max=200))
    protocol_code = fields.String(required=True, validate=validate.OneOf(TRIAGE_PROTOCOLS))
    answers = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=60)), values=fields.Boolean(),
                          required=True)
    note = fields.String(validate=validate.Length(max=4000))
    called_at = moment(required=True)


class TriageCallSchema(TriageCallCreateSchema):
    id = fields.UUID()
    disposition = fields.String(validate=validate.OneOf(TRIAGE_DISPOSITIONS))
    book_within_days = fields.Integer(allow_none=True)
    advice = fields.String()
    recorded_by = fields.String()
    nurse_id = fields.UUID(allow_none=True)
    recorded_at = moment()
    caller_name = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
