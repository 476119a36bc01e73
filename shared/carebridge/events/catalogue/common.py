"""Building blocks shared by event schemas of several producers."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

CONTACT_SYSTEMS = ("phone", "sms", "email")
CHANNELS = ("inapp", "email", "sms", "webhook")
CARE_TEAM_ROLES = ("coordinator", "nurse", "physician", "specialist", "therapist",
                   "pharmacist", "social-worker", "billing", "other")
STAFF_ROLES = CARE_TEAM_ROLES
CLINICAL_SETTINGS = ("hospital", "nursing-home", "outpatient-clinic", "private-practice", "home-telehealth")
TIME_OF_DAY = r"^([01]\d|2[0-3]):[0-5]\d$"


class DataSchema(ma.Schema):
    """Base of every event `data` schema: identifiers and codes only."""


class ContactPoint(ma.Schema):
    system = fields.String(required=True, validate=validate.OneOf(CONTACT_SYSTEMS))
    value = fields.String(required=True, validate=validate.Length(min=1, max=200))
    use = fields.String(load_default=None, allow_none=True,
                        validate=validate.OneOf(("home", "work", "mobile", "temp")))


class CommunicationPreferences(ma.Schema):
    preferred_channel = fields.String(load_default="inapp", validate=validate.OneOf(CHANNELS))
    quiet_hours_start = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(TIME_OF_DAY))
    quiet_hours_end = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(TIME_OF_DAY))
    sms_consent = fields.Boolean(load_default=False)


class Money(ma.Schema):
    """An exact amount with its currency; never a float."""
    amount = fields.Decimal(required=True, as_string=True, places=2, allow_nan=False)
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"))
