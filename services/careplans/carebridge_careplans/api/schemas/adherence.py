"""Doses taken or missed, and adherence."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.web import PageArgs

from ...domain.adherence import DOSE_OUTCOMES, REPORTERS
from .fields import one_of, text


class DoseCreateSchema(ma.Schema):
    activity_id = fields.UUID(required=True, metadata={"description": "the plan's medication activity"})
    outcome = one_of(DOSE_OUTCOMES, required=True)
    scheduled_for = fields.AwareDateTime(required=True, metadata={"description": "when the dose was due"})
    taken_at = fields.AwareDateTime(allow_none=True)
    reported_by = one_of(REPORTERS, required=True, metadata={"description": "who reported it"})
    note = text(1000)


class DoseSchema(ma.Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    plan_id = fields.UUID()
    activity_id = fields.UUID()
    outcome = one_of(DOSE_OUTCOMES)
    scheduled_for = fields.AwareDateTime()
    taken_at = fields.AwareDateTime(allow_none=True)
    reported_by = one_of(REPORTERS)
    note = fields.String(allow_none=True)
    recorded_at = fields.AwareDateTime()
    recorded_by = fields.String()
    review_task_id = fields.UUID(allow_none=True, metadata={
        "description": "the adherence review this report opened, if it took missed doses over the threshold"})


class DoseListArgs(PageArgs):
    patient_id = fields.UUID(required=True)
    activity_id = fields.UUID()


class AdherenceArgs(ma.Schema):
    patient_id = fields.UUID(required=True)
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))


class MedicationAdherenceSchema(ma.Schema):
    activity_id = fields.UUID()
    plan_id = fields.UUID()
    name = fields.String(allow_none=True)
    taken = fields.Integer()
    missed = fields.Integer()
    skipped = fields.Integer()
    adherence_percent = fields.Decimal(as_string=True, allow_none=True)


class AdherenceSummarySchema(ma.Schema):
    patient_id = fields.UUID()
    days = fields.Integer()
    since = fields.AwareDateTime()
    medications = fields.List(fields.Nested(MedicationAdherenceSchema))
