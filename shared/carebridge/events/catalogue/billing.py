"""Events published by the billing service."""
from marshmallow import fields, validate

from ..registry import registry
from .common import DataSchema, Money

PRIOR_AUTH_DECISIONS = ("pended", "approved", "denied", "expired")
ISSUE_CATEGORIES = ("disputed-charge", "denied-claim", "insurance-question", "payment-plan", "other")
# with-coverage: the plan's cost sharing applied; no-coverage: no active
# coverage on the date; not-covered: the plan excludes the service.
ESTIMATE_BASES = ("with-coverage", "no-coverage", "not-covered")
ISSUE_RESOLUTIONS = ("corrected", "explained", "refunded", "appealed", "written-off", "no-action", "other")


@registry.register("billing.prior-auth-requested", 1)
class PriorAuthRequestedV1(DataSchema):
    prior_auth_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    coverage_id = fields.UUID(required=True)
    payer_id = fields.String(required=True, validate=validate.Length(min=1, max=60))
    service_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    appointment_id = fields.UUID(load_default=None, allow_none=True)
    requested_units = fields.Integer(required=True, validate=validate.Range(min=1))


@registry.register("billing.prior-auth-decided", 1)
class PriorAuthDecidedV1(DataSchema):
    prior_auth_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    service_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    appointment_id = fields.UUID(load_default=None, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(PRIOR_AUTH_DECISIONS))
    authorized_units = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    expires_on = fields.Date(load_default=None, allow_none=True)
    reason_codes = fields.List(fields.String(validate=validate.Length(max=20)), load_default=list)
    # Booked visits holding a unit of it that the decision leaves without
    # authorization (denied, expired); empty for the other decisions.
    affected_appointment_ids = fields.List(fields.UUID(), load_default=list)


@registry.register("billing.prior-auth-expiring", 1)
class PriorAuthExpiringV1(DataSchema):
    prior_auth_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    service_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    expires_on = fields.Date(required=True)
    units_remaining = fields.Integer(required=True, validate=validate.Range(min=0))
    # Booked visits holding a unit of it that fall after it expires.
    affected_appointment_ids = fields.List(fields.UUID(), load_default=list)


@registry.register("billing.claim-submitted", 1)
class ClaimSubmittedV1(DataSchema):
    claim_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    coverage_id = fields.UUID(required=True)
    appointment_id = fields.UUID(load_default=None, allow_none=True)
    service_codes = fields.List(fields.String(validate=validate.Length(max=20)), required=True)
    billed = fields.Nested(Money, required=True)


@registry.register("billing.claim-denied", 1)
class ClaimDeniedV1(DataSchema):
    claim_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    appointment_id = fields.UUID(load_default=None, allow_none=True)
    # X12 claim adjustment reason codes (for example "197": prior
    # authorization absent).
    reason_codes = fields.List(fields.String(validate=validate.Length(max=20)), required=True)
    # The day of the service and whether this answers an appeal (then the
    # payer has said no twice): what the letter to the patient says next.
    service_date = fields.Date(load_default=None, allow_none=True)
    after_appeal = fields.Boolean(load_default=False)


@registry.register("billing.claim-paid", 1)
class ClaimPaidV1(DataSchema):
    claim_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    appointment_id = fields.UUID(load_default=None, allow_none=True)
    paid = fields.Nested(Money, required=True)
    patient_responsibility = fields.Nested(Money, required=True)
    service_date = fields.Date(load_default=None, allow_none=True)
    billed = fields.Nested(Money, load_default=None, allow_none=True)


@registry.register("billing.estimate-sent", 1)
class EstimateSentV1(DataSchema):
    """Staff sent a cost estimate to the patient (and, with their consent
    to billing news, the family). Identifiers, codes and money only: the
    letter says it in the reader's words and currency format."""
    sending_id = fields.UUID(required=True)
    estimate_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    service_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    appointment_type_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    category = fields.String(required=True, validate=validate.Length(min=1, max=20))
    service_date = fields.Date(required=True)
    basis = fields.String(required=True, validate=validate.OneOf(ESTIMATE_BASES))
    charge = fields.Nested(Money, required=True)
    copay = fields.Nested(Money, required=True)
    deductible = fields.Nested(Money, required=True)
    coinsurance = fields.Nested(Money, required=True)
    patient_pays = fields.Nested(Money, required=True)
    plan_pays = fields.Nested(Money, required=True)
    include_family = fields.Boolean(required=True)


@registry.register("billing.issue-opened", 1)
class IssueOpenedV1(DataSchema):
    issue_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    category = fields.String(required=True, validate=validate.OneOf(ISSUE_CATEGORIES))
    opened_by = fields.String(required=True, validate=validate.Length(min=1, max=200))
    claim_id = fields.UUID(load_default=None, allow_none=True)


@registry.register("billing.issue-resolved", 1)
class IssueResolvedV1(DataSchema):
    issue_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    category = fields.String(required=True, validate=validate.OneOf(ISSUE_CATEGORIES))
    resolution = fields.String(required=True, validate=validate.OneOf(ISSUE_RESOLUTIONS))
    resolved_by = fields.String(required=True, validate=validate.Length(min=1, max=200))
