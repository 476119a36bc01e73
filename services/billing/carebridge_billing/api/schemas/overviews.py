"""A patient's billing at a glance: coverage, open prior authorizations,
the latest claims and billing issues."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.web import paged

from ..fields import a_date
from .claims import ClaimSchema
from .coverages import CoverageSummarySchema
from .issues import IssueSchema
from .prior_auths import PriorAuthSchema


class BillingOverviewArgs(ma.Schema):
    patient_id = fields.UUID(required=True)
    on = a_date(metadata={"description": "The date of the coverage summary; today when absent."})
    latest = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100), metadata={
        "description": "How many of the latest claims and billing issues"})


class BillingOverviewSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    coverage = fields.Nested(CoverageSummarySchema, required=True, metadata={
        "description": "As `getCoverageSummary` answers it"})
    prior_authorizations = fields.Nested(paged(PriorAuthSchema), required=True, allow_none=True, metadata={
        "description": "The open ones (requested, pended), newest first, up to 100; null for the care team, "
                       "who read the coverage only"})
    claims = fields.Nested(paged(ClaimSchema), required=True, allow_none=True, metadata={
        "description": "The `latest` claims, newest first, with the total; null for the care team"})
    billing_issues = fields.Nested(paged(IssueSchema), required=True, allow_none=True, metadata={
        "description": "The `latest` billing issues, most recently changed first, with the total; null for the "
                       "care team"})
