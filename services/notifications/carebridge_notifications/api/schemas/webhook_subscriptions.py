"""Webhook subscriptions of staff apps."""
import marshmallow as ma
from marshmallow import fields, validate

from ...service_layer.webhook_subscriptions import SUBSCRIBABLE_EVENT_TYPES


class WebhookSubscriptionSchema(ma.Schema):
    id = fields.UUID(dump_only=True)
    url = fields.String(required=True, validate=validate.Length(min=8, max=500), metadata={
        "format": "uri", "description": "An absolute https URL (http too where the deployment allows it)"})
    secret = fields.String(required=True, load_only=True, validate=validate.Length(min=32, max=200), metadata={
        "description": "Signs every call (HMAC-SHA256 over \"<timestamp>.<body>\"); never returned"})
    event_types = fields.List(fields.String(validate=validate.OneOf(SUBSCRIBABLE_EVENT_TYPES)), required=True,
                              validate=validate.Length(min=1, max=len(SUBSCRIBABLE_EVENT_TYPES)))
    description = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    active = fields.Boolean(load_default=True)
    created_at = fields.AwareDateTime(dump_only=True)
    created_by = fields.String(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)
    version = fields.Integer(dump_only=True)


class WebhookSubscriptionUpdateSchema(WebhookSubscriptionSchema):
    secret = fields.String(load_only=True, load_default=None, allow_none=True,
                           validate=validate.Length(min=32, max=200),
                           metadata={"description": "A new secret, or null to keep the current one"})
