"""Coverage as the API reads and writes it."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.vocabulary.appointment_types import BILLING_CATEGORIES
from carebridge.web import PageArgs

from ..fields import CODE, MEMBER_NUMBER, MoneySchema, Percentage, a_date, nested_money

RELATIONSHIPS = ("self", "spouse", "child", "other")
ORDERS = ("primary", "secondary", "tertiary")
COVERAGE_STATUSES = ("active", "inactive", "cancelled")
# inactive is set by the payer's eligibility answer only; staff set active (after checking with the payer) or
# cancelled.
SETTABLE_STATUSES = ("active", "cancelled")


def _copays(**kwargs):
    return fields.Dict(keys=fields.String(validate=validate.OneOf(BILLING_CATEGORIES)),
                       values=fields.Nested(MoneySchema), metadata={
                           "description": "Copay per billing category (primary-care, specialist, therapy, "
                                          "telehealth, imaging); a category without one uses the deductible "
                                          "and coinsurance."}, **kwargs)


class _CoverageTerms(ma.Schema):
    """What staff may set when recording coverage and change later."""
    member_id = fields.String(validate=MEMBER_NUMBER)
    group_id = fields.String(allow_none=True, validate=MEMBER_NUMBER)
    subscriber_member_id = fields.String(allow_none=True, validate=MEMBER_NUMBER, metadata={
        "description": "The policy holder's member id, when the patient is a dependant."})
    relationship_to_subscriber = fields.String(data_key="relationship", validate=validate.OneOf(RELATIONSHIPS))
    priority = fields.String(data_key="order", validate=validate.OneOf(ORDERS), metadata={
        "description": "Which coverage pays first."})
    effective_start = a_date()
    effective_end = a_date(allow_none=True)
    copays = _copays()
    coinsurance_percent = Percentage()
    deductible = nested_money()
    out_of_pocket_max = nested_money()
    deductible_met = nested_money(metadata={"description": "Met so far in the current plan year."})
    out_of_pocket_met = nested_money(metadata={"description": "Met so far in the current plan year."})
    plan_year_start_month = fields.Integer(validate=validate.Range(min=1, max=12))


class CoverageCreateSchema(_CoverageTerms):
    patient_id = fields.UUID(required=True)
    payer_id = fields.String(required=True, validate=CODE)
    plan_id = fields.String(required=True, validate=CODE)
    member_id = fields.String(required=True, validate=MEMBER_NUMBER)
    currency = fields.String(load_default="USD", validate=validate.Regexp(r"^[A-Z]{3}$"))
    relationship_to_subscriber = fields.String(data_key="relationship", load_default="self",
                                               validate=validate.OneOf(RELATIONSHIPS))
    priority = fields.String(data_key="order", load_default="primary", validate=validate.OneOf(ORDERS))
    effective_start = a_date(required=True)
    coinsurance_percent = Percentage(required=True)
    deductible = nested_money(required=True)
    out_of_pocket_max = nested_money(required=True)
    plan_year_start_month = fields.Integer(load_default=1, validate=validate.Range(min=1, max=12))


class CoverageUpdateSchema(_CoverageTerms):
    status = fields.String(validate=validate.OneOf(SETTABLE_STATUSES), metadata={
        "description": "cancelled: recorded in error or ended without an end date; active: back in force "
                       "(e.g. after the payer's inactive answer was corrected)."})

    @ma.validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ma.ValidationError("Change at least one field.", "_schema")


class PlanYearSchema(ma.Schema):
    starts_on = fields.Date(required=True)
    deductible_met = nested_money(required=True)
    out_of_pocket_met = nested_money(required=True)


class EligibilitySchema(ma.Schema):
    id = fields.UUID(required=True)
    coverage_id = fields.UUID(required=True)
    service_date = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("active", "inactive")))
    reason_code = fields.String(allow_none=True)
    checked_by = fields.String(required=True)
    checked_at = fields.AwareDateTime(required=True)


class _CostSharingSchema(ma.Schema):
    """The plan and the patient's cost sharing: what the care team may see
    too (no member or group numbers)."""
    payer_name = fields.String(required=True)
    plan_name = fields.String(required=True)
    order = fields.String(required=True, validate=validate.OneOf(ORDERS))
    effective_start = fields.Date(required=True)
    effective_end = fields.Date(allow_none=True)
    copays = _copays(required=True)
    coinsurance_percent = Percentage(required=True)
    deductible = nested_money(required=True)
    out_of_pocket_max = nested_money(required=True)
    current_plan_year = fields.Nested(PlanYearSchema, required=True)


class CoverageSchema(_CostSharingSchema):
    id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    payer_id = fields.String(required=True)
    plan_id = fields.String(required=True)
    member_id = fields.String(required=True)
    group_id = fields.String(allow_none=True)
    subscriber_member_id = fields.String(allow_none=True)
    relationship = fields.String(required=True, validate=validate.OneOf(RELATIONSHIPS))
    status = fields.String(required=True, validate=validate.OneOf(COVERAGE_STATUSES))
    currency = fields.String(required=True)
    plan_year_start_month = fields.Integer(required=True)
    eligibility = fields.Nested(EligibilitySchema, allow_none=True, metadata={
        "description": "The payer's last answer to an eligibility check, if any."})
    version = fields.Integer(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class CoverageListArgs(PageArgs):
    patient_id = fields.UUID()
    payer_id = fields.String(validate=CODE)
    status = fields.String(validate=validate.OneOf(COVERAGE_STATUSES))


class EligibilityRequestSchema(ma.Schema):
    service_date = a_date(metadata={"description": "The date to check; today when absent."})


class CoverageSummaryArgs(ma.Schema):
    patient_id = fields.UUID(required=True)
    on = a_date(metadata={"description": "The date; today when absent."})


class CoverageSummaryItemSchema(_CostSharingSchema):
    coverage_id = fields.UUID(required=True)
    status = fields.String(validate=validate.OneOf(("active", "inactive")), metadata={
        "description": "inactive: the payer answered an eligibility check that this coverage is not in force; "
                       "estimates and claims no longer use it."})
    status_reason = fields.String(allow_none=True, metadata={
        "description": "The payer's reason code when inactive (e.g. coverage-terminated)."})


class CoverageSummarySchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    on = fields.Date(required=True)
    coverages = fields.List(fields.Nested(CoverageSummaryItemSchema), required=True, metadata={
        "description": "The coverages in force on the date, and those the payer reported inactive for it."})
