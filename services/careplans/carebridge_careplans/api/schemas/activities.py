"""Plan activities: common fields plus the details of each kind, under the
key named after the kind (medication, follow_up, diet, therapy, education,
check_in, monitoring)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate, validates_schema

from carebridge.events.catalogue.careplans import ACTIVITY_STATUSES
from carebridge.events.catalogue.monitoring import MEASURES
from carebridge.vocabulary.appointment_types import APPOINTMENT_TYPES

from ...domain.plain_language import FREQUENCY_WORDS, ROUTE_WORDS
from ...domain.plan_documents import ACTIVITY_KINDS
from .fields import RXNORM_CODE, TIME_OF_DAY, IsoDate, one_of, text

CHECK_IN_METHODS = ("phone", "video", "in-person", "message")
# Follow-up and therapy activities may name only the shared appointment types:
# scheduling builds its "to book" list from them.
APPOINTMENT_TYPE_CODES = tuple(APPOINTMENT_TYPES)


class MedicationDetailSchema(ma.Schema):
    name = text(200, required=True)
    rxnorm_code = fields.String(allow_none=True, validate=RXNORM_CODE, metadata={
        "description": "RxNorm code of the ingredient or multiple-ingredient product, where known"})
    ingredient_codes = fields.List(fields.String(validate=RXNORM_CODE), validate=validate.Length(max=10), metadata={
        "description": "RxNorm ingredient codes; resolved from rxnorm_code when the catalogue knows it, "
                       "else as given (none means the medication cannot be checked)"})
    dose = text(100, required=True, metadata={"description": "for example '25 mg (1 tablet)'"})
    route = one_of(tuple(ROUTE_WORDS), required=True)
    frequency = one_of(tuple(FREQUENCY_WORDS), required=True)
    times_of_day = fields.List(fields.String(validate=TIME_OF_DAY), validate=validate.Length(max=8))
    as_needed = fields.Boolean()
    duration_days = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=3650))
    purpose = text(200, metadata={"description": "what it is for, in the patient's words"})
    prescriber_id = fields.UUID(allow_none=True)


class FollowUpDetailSchema(ma.Schema):
    appointment_type_code = one_of(APPOINTMENT_TYPE_CODES, required=True)
    window_start = IsoDate(allow_none=True)
    window_end = IsoDate(allow_none=True)
    practitioner_id = fields.UUID(allow_none=True)
    purpose = text(300)

    @validates_schema
    def _window_in_order(self, data, **_kwargs):
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            raise ma.ValidationError("window_end must not be before window_start", "window_end")


class TherapyDetailSchema(ma.Schema):
    appointment_type_code = one_of(APPOINTMENT_TYPE_CODES, allow_none=True, metadata={
        "description": "the appointment type scheduling books; none for a program arranged by referral or at home"})
    sessions_per_week = fields.Integer(required=True, validate=validate.Range(min=1, max=14))
    duration_weeks = fields.Integer(required=True, validate=validate.Range(min=1, max=104))
    start_date = IsoDate(allow_none=True)
    practitioner_id = fields.UUID(allow_none=True)
    sessions_completed = fields.Integer(metadata={
        "description": "kept by the service from completed visits; ignored on input"})


class DietDetailSchema(ma.Schema):
    recommendation = text(1000, required=True)


class EducationDetailSchema(ma.Schema):
    topic = text(300, required=True)
    material = text(500)


class CheckInDetailSchema(ma.Schema):
    interval_days = fields.Integer(required=True, validate=validate.Range(min=1, max=90))
    method = one_of(CHECK_IN_METHODS, load_default="phone")


LIMIT_NAMES = ("critical_low", "low", "high", "critical_high")


def _limit(description: str):
    return fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(min=0, max=1500),
                        metadata={"description": description})


class MeasureLimitsSchema(ma.Schema):
    """Limits of one measure in its canonical unit (mm[Hg] for the systolic
    pressure, /min, kg, mg/dL, %, Cel), as the monitoring service keeps them."""
    measure = one_of(MEASURES, required=True)
    low = _limit("below it a reading is out of range")
    high = _limit("above it a reading is out of range")
    critical_low = _limit("below it a reading escalates at once")
    critical_high = _limit("above it a reading escalates at once")

    @validates_schema
    def _limits_rise(self, data, **_kwargs):
        given = [data[name] for name in LIMIT_NAMES if data.get(name) is not None]
        if not given:
            raise ma.ValidationError("give at least one of low, high, critical_low, critical_high", "measure")
        if given != sorted(given) or len(set(given)) != len(given):
            raise ma.ValidationError("limits must rise: critical_low < low < high < critical_high", "measure")


class MonitoringDetailSchema(ma.Schema):
    """Remote patient monitoring: the limits this plan sets on the patient's
    active monitoring enrolment for these measures."""
    limits = fields.List(fields.Nested(MeasureLimitsSchema), required=True, validate=validate.Length(min=1, max=6))

    @validates_schema
    def _one_entry_per_measure(self, data, **_kwargs):
        measures = [item["measure"] for item in data.get("limits") or []]
        if len(set(measures)) != len(measures):
            raise ma.ValidationError("each measure at most once", "limits")


class ActivitySchema(ma.Schema):
    """An activity. In a change, an item with `id` changes that activity
    (only the fields given; a kind's details are replaced as a whole), an
    item without `id` adds one (kind and details required)."""
    id = fields.UUID()
    kind = one_of(ACTIVITY_KINDS)
    status = one_of(ACTIVITY_STATUSES)
    status_reason = text(60)
    description = text(300)
    instructions = text(2000)
    medication = fields.Nested(MedicationDetailSchema, allow_none=True)
    follow_up = fields.Nested(FollowUpDetailSchema, allow_none=True)
    diet = fields.Nested(DietDetailSchema, allow_none=True)
    therapy = fields.Nested(TherapyDetailSchema, allow_none=True)
    education = fields.Nested(EducationDetailSchema, allow_none=True)
    check_in = fields.Nested(CheckInDetailSchema, allow_none=True)
    monitoring = fields.Nested(MonitoringDetailSchema, allow_none=True)
