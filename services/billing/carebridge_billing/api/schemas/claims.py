"""Charges and claims as the API shows them."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.vocabulary.appointment_types import BILLING_CATEGORIES
from carebridge.web import PageArgs

from ...domain.claims import CLAIM_STATUSES, SUBMISSION_KINDS
from ...persistence.charges import CHARGE_STATUSES
from ..fields import ReasonSchema, nested_money
from .estimates import PatientShareSchema


class ChargeSchema(ma.Schema):
    id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    appointment_id = fields.UUID(allow_none=True)
    service_code = fields.String(required=True)
    appointment_type_code = fields.String(allow_none=True)
    category = fields.String(required=True, validate=validate.OneOf(BILLING_CATEGORIES))
    service_date = fields.Date(required=True)
    amount = nested_money(required=True)
    status = fields.String(required=True, validate=validate.OneOf(CHARGE_STATUSES), metadata={
        "description": "billed: on a claim; self-pay: no coverage on the service date (bill it with POST "
                       "/claims once coverage is recorded)."})
    claim_id = fields.UUID(allow_none=True)
    prior_auth_id = fields.UUID(allow_none=True)
    created_at = fields.AwareDateTime(required=True)


class ChargeListArgs(PageArgs):
    patient_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(CHARGE_STATUSES))


class ClaimStatusChangeSchema(ma.Schema):
    from_status = fields.String(allow_none=True, validate=validate.OneOf(CLAIM_STATUSES))
    to_status = fields.String(required=True, validate=validate.OneOf(CLAIM_STATUSES))
    reason_codes = fields.List(fields.String(), required=True)
    actor = fields.String(required=True)
    at = fields.AwareDateTime(required=True)


class ClaimSchema(ma.Schema):
    id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    coverage_id = fields.UUID(required=True)
    appointment_id = fields.UUID(allow_none=True)
    prior_auth_id = fields.UUID(allow_none=True)
    service_date = fields.Date(required=True)
    service_codes = fields.List(fields.String(), required=True)
    status = fields.String(required=True, validate=validate.OneOf(CLAIM_STATUSES))
    submission_kind = fields.String(required=True, validate=validate.OneOf(SUBMISSION_KINDS))
    billed = nested_money(required=True)
    paid = nested_money(allow_none=True)
    patient_responsibility = nested_money(allow_none=True)
    patient_share = fields.Nested(PatientShareSchema, allow_none=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True, metadata={
        "description": "The payer's claim adjustment reason codes (X12 CARC) with their meaning."})
    payer_claim_id = fields.String(allow_none=True)
    submission_attempts = fields.Integer(required=True)
    last_error = fields.String(allow_none=True, metadata={
        "description": "Why the last exchange with the payer failed (payer-unavailable...)."})
    next_action_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "When billing next sends the claim or asks the payer about it."})
    submitted_at = fields.AwareDateTime(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    appeal_count = fields.Integer(required=True)
    history = fields.List(fields.Nested(ClaimStatusChangeSchema), required=True)
    version = fields.Integer(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class ClaimCreateSchema(ma.Schema):
    charge_id = fields.UUID(required=True)
    coverage_id = fields.UUID(metadata={"description": "The primary coverage on the service date when absent."})


class ClaimListArgs(PageArgs):
    patient_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(CLAIM_STATUSES))


class ClaimSubmitSchema(ma.Schema):
    """Optional: why a claim goes to the payer while its prior authorization
    is not approved (kept as a note of the claim's billing issue)."""
    override_reason = fields.String(validate=validate.Length(min=3, max=500))
