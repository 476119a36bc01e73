"""A person's notification preferences."""
import marshmallow as ma
from marshmallow import fields, validate

from carebridge.events.catalogue.common import TIME_OF_DAY

from ...domain.letters import DETAILS
from ...domain.vocabulary import CATEGORIES, PERSON_TYPES, PUSH_CHANNELS


class QuietHoursSchema(ma.Schema):
    start = fields.String(required=True, validate=validate.Regexp(TIME_OF_DAY), metadata={"example": "22:00"})
    end = fields.String(required=True, validate=validate.Regexp(TIME_OF_DAY), metadata={"example": "07:00"})


_CHANNELS_PER_CATEGORY = dict(
    keys=fields.String(validate=validate.OneOf(CATEGORIES)),
    values=fields.List(fields.String(validate=validate.OneOf(PUSH_CHANNELS)), validate=validate.Length(max=2)),
    metadata={"description": "Email and SMS per category; the in-app inbox always gets every notification. "
                             "A category not named keeps the default."})


class PreferencesSchema(ma.Schema):
    """Person preferences (patients and related persons; SMS consent is
    recorded in the patients service)."""
    recipient_type = fields.String(dump_only=True, metadata={"enum": list(PERSON_TYPES)})
    recipient_id = fields.UUID(dump_only=True)
    opted_out = fields.Boolean(load_default=False)
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True, load_default=None, metadata={
        "description": "In the person's own time zone; urgent notifications pass. Null: the quiet hours "
                       "recorded in the patients service apply (none for staff)."})
    channels = fields.Dict(load_default=dict, **_CHANNELS_PER_CATEGORY)
    message_detail = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(DETAILS), metadata={
        "description": "Patients and family: full (the message itself in the email or SMS) or private (a short "
                       "notice and a link to the secure message page). Null: full by email, private by SMS."})
    sms_consent = fields.Boolean(dump_only=True)
    effective_channels = fields.Dict(dump_only=True, metadata={
        "description": "Per category and urgency, the channels a notification would use now"})
    updated_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class StaffPreferencesSchema(PreferencesSchema):
    sms_consent = fields.Boolean(load_default=False, metadata={
        "description": "The practitioner agrees to be texted; recorded with who and when"})
    sms_consent_recorded_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    sms_consent_recorded_by = fields.String(dump_only=True, allow_none=True)
