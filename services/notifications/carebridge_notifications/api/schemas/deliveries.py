"""The delivery queue, for operations."""
from marshmallow import fields, validate

from carebridge.web import PageArgs

from ...domain.vocabulary import CHANNELS, DELIVERY_STATUSES
from .notifications import DeliverySchema


class DeliveryDetailSchema(DeliverySchema):
    patient_id = fields.UUID(dump_only=True, allow_none=True, attribute="notification.patient_id")
    recipient_type = fields.String(dump_only=True, attribute="notification.recipient_type")
    recipient_id = fields.UUID(dump_only=True, attribute="notification.recipient_id")
    source_event_type = fields.String(dump_only=True, attribute="notification.source_event_type")


class DeliveryArgs(PageArgs):
    status = fields.String(load_default="failed", validate=validate.OneOf(DELIVERY_STATUSES))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
