"""Prior authorizations as the API reads and writes them."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.web import PageArgs

from ...domain.prior_auths import ALLOCATION_STATES, PRIOR_AUTH_STATUSES
from ..fields import SERVICE_CODE, ReasonSchema


class AllocationSchema(ma.Schema):
    appointment_id = fields.UUID(required=True)
    state = fields.String(required=True, validate=validate.OneOf(ALLOCATION_STATES))
    service_date = fields.Date(required=True)


class PriorAuthSchema(ma.Schema):
    id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    coverage_id = fields.UUID(required=True)
    payer_id = fields.String(required=True)
    plan_id = fields.String(required=True)
    service_code = fields.String(required=True)
    appointment_id = fields.UUID(allow_none=True, metadata={"description": "The booking that opened it."})
    status = fields.String(required=True, validate=validate.OneOf(PRIOR_AUTH_STATUSES))
    requested_units = fields.Integer(required=True)
    authorized_units = fields.Integer(allow_none=True)
    units_used = fields.Integer(required=True)
    units_reserved = fields.Integer(required=True, metadata={"description": "Held by booked visits."})
    expires_on = fields.Date(allow_none=True)
    payer_reference = fields.String(allow_none=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)
    allocations = fields.List(fields.Nested(AllocationSchema), required=True)
    submitted_at = fields.AwareDateTime(allow_none=True)
    submission_attempts = fields.Integer(required=True)
    last_error = fields.String(allow_none=True)
    next_action_at = fields.AwareDateTime(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    opened_by = fields.String(required=True)
    version = fields.Integer(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class PriorAuthCreateSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    service_code = fields.String(required=True, validate=SERVICE_CODE)
    units = fields.Integer(load_default=1, validate=validate.Range(min=1, max=365))
    coverage_id = fields.UUID(metadata={"description": "The primary coverage today when absent."})


class PriorAuthListArgs(PageArgs):
    patient_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(PRIOR_AUTH_STATUSES))
    service_code = fields.String(validate=SERVICE_CODE)
