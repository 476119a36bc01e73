"""Reference data as the API shows it."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.vocabulary.appointment_types import BILLING_CATEGORIES
from carebridge.web import PageArgs

from ..fields import a_date, nested_money


class FeeScheduleArgs(PageArgs):
    on = a_date(metadata={"description": "The price list in force on this date; today when absent."})


class FeeOnDateArgs(ma.Schema):
    on = a_date(metadata={"description": "Today when absent."})


class FeeScheduleEntrySchema(ma.Schema):
    service_code = fields.String(required=True)
    description = fields.String(required=True)
    category = fields.String(required=True, validate=validate.OneOf(BILLING_CATEGORIES))
    price = nested_money(required=True)
    effective_from = fields.Date(required=True)


class PlanSchema(ma.Schema):
    plan_id = fields.String(required=True)
    name = fields.String(required=True)
    prior_auth_service_codes = fields.List(fields.String(), required=True, metadata={
        "description": "Service codes a booking needs prior authorization for."})
    not_covered_service_codes = fields.List(fields.String(), required=True)


class PayerSchema(ma.Schema):
    payer_id = fields.String(required=True, validate=validate.Length(min=1, max=60))
    name = fields.String(required=True)
    plans = fields.List(fields.Nested(PlanSchema), required=True)
