"""Notifications as staff see them: in their inbox, and in a patient's history."""
import marshmallow as ma
from marshmallow import fields, validate

from carebridge.web import PageArgs

from ...domain.routing_rules import RULES
from ...domain.vocabulary import CATEGORIES, CHANNELS, DELIVERY_STATUSES, RECIPIENT_TYPES, URGENCIES, URGENT


class DeliverySchema(ma.Schema):
    id = fields.UUID(dump_only=True)
    notification_id = fields.UUID(dump_only=True)
    channel = fields.String(dump_only=True, metadata={"enum": list(CHANNELS)})
    status = fields.String(dump_only=True, metadata={"enum": list(DELIVERY_STATUSES)})
    attempts = fields.Integer(dump_only=True)
    next_attempt_at = fields.AwareDateTime(dump_only=True)
    sent_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    last_error = fields.String(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)


class InboxItemSchema(ma.Schema):
    id = fields.UUID(dump_only=True)
    source_event_id = fields.UUID(dump_only=True)
    source_event_type = fields.String(dump_only=True)
    occurred_at = fields.AwareDateTime(dump_only=True)
    patient_id = fields.UUID(dump_only=True, allow_none=True)
    category = fields.String(dump_only=True, metadata={"enum": list(CATEGORIES)})
    urgency = fields.String(dump_only=True, metadata={"enum": list(URGENCIES)})
    title = fields.String(dump_only=True)
    body = fields.String(dump_only=True)
    escalation_level = fields.Integer(dump_only=True, metadata={"description": "0, or the step of an escalation"})
    created_at = fields.AwareDateTime(dump_only=True)
    read_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    acknowledged_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    needs_acknowledgement = fields.Method("_needs_acknowledgement", dump_only=True, metadata={
        "type": "boolean", "description": "Urgent and not acknowledged yet"})

    def _needs_acknowledgement(self, notification) -> bool:
        return notification.urgency == URGENT and notification.acknowledged_at is None


class NotificationSchema(InboxItemSchema):
    """A notification in a patient's history: who was told, and how it went on each channel."""
    recipient_type = fields.String(dump_only=True, metadata={"enum": list(RECIPIENT_TYPES)})
    recipient_id = fields.UUID(dump_only=True)
    language = fields.String(dump_only=True)
    deliveries = fields.List(fields.Nested(DeliverySchema), dump_only=True)


class UnreadCountSchema(ma.Schema):
    unread = fields.Integer(required=True)
    urgent_unread = fields.Integer(required=True)
    urgent_unacknowledged = fields.Integer(required=True)


class InboxArgs(PageArgs):
    unread_only = fields.Boolean(load_default=False)
    urgent_only = fields.Boolean(load_default=False)


class HistoryArgs(PageArgs):
    patient_id = fields.UUID(required=True)
    event_type = fields.String(validate=validate.OneOf(sorted(RULES)))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    recipient_type = fields.String(validate=validate.OneOf(RECIPIENT_TYPES))
