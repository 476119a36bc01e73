"""Cost estimates as the API reads and writes them."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.vocabulary.appointment_types import BILLING_CATEGORIES
from carebridge.web import PageArgs

from ...persistence.estimates import ESTIMATE_BASES
from ..fields import CODE, SERVICE_CODE, a_date, nested_money


class EstimateRequestSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    service_code = fields.String(validate=SERVICE_CODE)
    appointment_type_code = fields.String(validate=CODE)
    service_date = a_date(metadata={"description": "The date of service; today when absent."})

    @ma.validates_schema
    def _one_service(self, data, **kwargs):
        if not data.get("service_code") and not data.get("appointment_type_code"):
            raise ma.ValidationError("Give a service_code or an appointment_type_code.", "service_code")


class PatientShareSchema(ma.Schema):
    copay = nested_money(required=True)
    deductible = nested_money(required=True)
    coinsurance = nested_money(required=True)


class EstimateSchema(ma.Schema):
    id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    coverage_id = fields.UUID(allow_none=True)
    service_code = fields.String(required=True)
    appointment_type_code = fields.String(allow_none=True)
    category = fields.String(required=True, validate=validate.OneOf(BILLING_CATEGORIES))
    service_date = fields.Date(required=True)
    basis = fields.String(required=True, validate=validate.OneOf(ESTIMATE_BASES), metadata={
        "description": "with-coverage: the plan's cost sharing applied; no-coverage: no active coverage on "
                       "the date; not-covered: the plan does not cover the service (full price)."})
    price = nested_money(required=True)
    patient_pays = nested_money(required=True)
    plan_pays = nested_money(required=True)
    patient_share = fields.Nested(PatientShareSchema, required=True, metadata={
        "description": "What the patient pays under each rule (after the out-of-pocket cap)."})
    explanation = fields.String(required=True, metadata={"description": "For the patient, in plain language."})
    created_by = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)


class EstimateSendingSchema(ma.Schema):
    include_family = fields.Boolean(load_default=True, metadata={
        "description": "also send it to each related person with the patient's consent to billing news"})


class EstimateSentSchema(ma.Schema):
    sending_id = fields.UUID(required=True)
    estimate_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    include_family = fields.Boolean(required=True)
    sent_at = fields.AwareDateTime(required=True)


class EstimateListArgs(PageArgs):
    patient_id = fields.UUID()
