"""Events published by the notifications service."""
from marshmallow import fields, validate

from ..registry import registry
from .common import CHANNELS, DataSchema


@registry.register("notifications.delivery-failed", 1)
class DeliveryFailedV1(DataSchema):
    delivery_id = fields.UUID(required=True)
    notification_id = fields.UUID(required=True)
    source_event_id = fields.UUID(required=True)
    source_event_type = fields.String(required=True, validate=validate.Length(max=120))
    patient_id = fields.UUID(load_default=None, allow_none=True)
    recipient_type = fields.String(required=True, validate=validate.OneOf(
        ("practitioner", "patient", "related-person", "webhook")))
    recipient_id = fields.UUID(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    attempts = fields.Integer(required=True, validate=validate.Range(min=1))
    reason = fields.String(required=True, validate=validate.Length(max=60))


# What a patient or relative answered on the secure message page about a
# visit they were told of: identifiers and the choice only.
APPOINTMENT_ANSWERS = ("confirm", "cancel", "reschedule")


@registry.register("notifications.appointment-answered", 1)
class AppointmentAnsweredV1(DataSchema):
    answer_id = fields.UUID(required=True)
    notification_id = fields.UUID(required=True)
    appointment_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    recipient_type = fields.String(required=True, validate=validate.OneOf(("patient", "related-person")))
    recipient_id = fields.UUID(required=True)
    answer = fields.String(required=True, validate=validate.OneOf(APPOINTMENT_ANSWERS))
    answered_at = fields.AwareDateTime(required=True)


# How a patient feels, answered on the secure message page to a check-in
# request: the choice, and only whether they wrote a comment (their words
# stay in the notifications service).
CHECK_IN_FEELINGS = ("better", "same", "worse")


@registry.register("notifications.check-in-answered", 1)
class CheckInAnsweredV1(DataSchema):
    answer_id = fields.UUID(required=True)
    notification_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    task_id = fields.UUID(load_default=None, allow_none=True)
    recipient_type = fields.String(required=True, validate=validate.OneOf(("patient", "related-person")))
    recipient_id = fields.UUID(required=True)
    feeling = fields.String(required=True, validate=validate.OneOf(CHECK_IN_FEELINGS))
    has_comment = fields.Boolean(required=True)
    answered_at = fields.AwareDateTime(required=True)
