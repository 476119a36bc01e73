"""The duty rota."""
import marshmallow as ma
from marshmallow import fields, validate

from carebridge.web import PageArgs

from ...persistence.duty_rota import DUTIES


class DutyShiftCreateSchema(ma.Schema):
    practitioner_id = fields.UUID(required=True)
    duty = fields.String(required=True, validate=validate.OneOf(DUTIES), metadata={
        "description": "on-call: reached when nobody on the care team acknowledged; supervisor: after them"})
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class DutyShiftSchema(DutyShiftCreateSchema):
    id = fields.UUID(required=True)
    created_by = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    version = fields.Integer(required=True)


class DutyShiftArgs(PageArgs):
    duty = fields.String(validate=validate.OneOf(DUTIES))
    at = fields.AwareDateTime(metadata={"description": "only the shifts running at this moment"})
