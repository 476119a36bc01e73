"""Escalations and their recorded chains."""
import marshmallow as ma
from marshmallow import fields, validate

from carebridge.web import PageArgs

from ...persistence.escalations import ACKNOWLEDGED, EXHAUSTED, OPEN


class EscalationStepSchema(ma.Schema):
    level = fields.Integer(dump_only=True)
    audience = fields.String(dump_only=True)
    recipient_id = fields.UUID(dump_only=True)
    notification_id = fields.UUID(dump_only=True)
    escalated_at = fields.AwareDateTime(dump_only=True)


class EscalationSchema(ma.Schema):
    id = fields.UUID(dump_only=True)
    source_event_id = fields.UUID(dump_only=True)
    source_event_type = fields.String(dump_only=True)
    patient_id = fields.UUID(dump_only=True, allow_none=True)
    care_team_id = fields.UUID(dump_only=True, allow_none=True)
    category = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": [OPEN, ACKNOWLEDGED, EXHAUSTED]})
    level = fields.Integer(dump_only=True)
    due_at = fields.AwareDateTime(dump_only=True, metadata={"description": "When the next step fires, while open"})
    created_at = fields.AwareDateTime(dump_only=True)
    acknowledged_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    acknowledged_by = fields.String(dump_only=True, allow_none=True)
    closed_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    steps = fields.List(fields.Nested(EscalationStepSchema), dump_only=True)


class EscalationArgs(PageArgs):
    patient_id = fields.UUID(required=True)
    status = fields.String(validate=validate.OneOf([OPEN, ACKNOWLEDGED, EXHAUSTED]))
