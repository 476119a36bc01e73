"""Read-only reference data: plan templates and the interaction table."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.web import PageArgs

from ...reference.medicines import SEVERITIES
from .fields import RXNORM_CODE
from .plans import ConditionSchema, WarningSignSchema


class TemplateSummarySchema(ma.Schema):
    code = fields.String()
    version = fields.String()
    title = fields.String()
    description = fields.String()
    sources = fields.List(fields.String())
    conditions = fields.List(fields.Nested(ConditionSchema))
    activity_keys = fields.List(fields.String(), metadata={"description": "what leave_out can name"})


class TemplateSchema(TemplateSummarySchema):
    duration_days = fields.Integer()
    goals = fields.List(fields.Dict(), metadata={"description": "target due dates in days from the start"})
    activities = fields.List(fields.Dict(), metadata={"description": "windows and start in days from the start"})
    warning_signs = fields.List(fields.Nested(WarningSignSchema))


class DrugSchema(ma.Schema):
    rxnorm_code = fields.String()
    name = fields.String()


class InteractionSchema(ma.Schema):
    id = fields.String()
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    drugs = fields.List(fields.List(fields.Nested(DrugSchema)), metadata={
        "description": "two groups: every drug of the first interacts with every drug of the second"})
    mechanism = fields.String()
    management = fields.String()
    sources = fields.List(fields.String())


class InteractionListArgs(PageArgs):
    rxnorm_code = fields.String(validate=RXNORM_CODE, metadata={
        "description": "only interactions involving this ingredient (or a product's ingredients)"})
    severity = fields.List(fields.String(validate=validate.OneOf(SEVERITIES)))
