"""Hospital stays."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from carebridge.web import PageArgs

from .fields import one_of, text

DISPOSITIONS = ("home", "home-with-services", "nursing-home", "rehabilitation", "other")
SOURCES = ("staff", "adt")


class HospitalStayCreateSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    facility = text(200, metadata={"description": "the hospital"})
    admitted_at = fields.AwareDateTime(required=True)
    discharged_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "when already discharged: opens the post-discharge check-in and medication reconciliation"})
    discharge_disposition = one_of(DISPOSITIONS, allow_none=True)


class DischargeSchema(ma.Schema):
    discharged_at = fields.AwareDateTime(required=True)
    discharge_disposition = one_of(DISPOSITIONS, allow_none=True)


class HospitalStaySchema(ma.Schema):
    id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    facility = fields.String(allow_none=True)
    admitted_at = fields.AwareDateTime(required=True)
    discharged_at = fields.AwareDateTime(allow_none=True)
    discharge_disposition = one_of(DISPOSITIONS, allow_none=True)
    source = one_of(SOURCES, required=True)
    recorded_by = fields.String(required=True)
    recorded_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class HospitalStayListArgs(PageArgs):
    patient_id = fields.UUID(required=True)
