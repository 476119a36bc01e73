"""Contact points, postal addresses and communication preferences, shared by
patients, related persons and practitioners."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, post_load, validate, validates_schema

from carebridge.events.catalogue.common import TIME_OF_DAY
from carebridge.web import TIME_ZONE

from ...domain.contact import (DEFAULT_COMMUNICATION, LANGUAGE_TAG, LANGUAGE_TAG_MAX, check_quiet_hours,
                               check_time_zone, normalise_language, normalise_phone)
from ...domain.vocabulary import ADDRESS_USES, CONTACT_SYSTEMS, CONTACT_USES, PERSON_CHANNELS
from .fields import Normalised, Trimmed, one_of, optional_one_of

_check_email = validate.Email(error="Not an e-mail address.")


class ContactPointSchema(ma.Schema):
    system = one_of(CONTACT_SYSTEMS, required=True,
                    metadata={"description": "phone, sms (a number that takes texts) or email"})
    value = fields.String(required=True, validate=validate.Length(min=1, max=200),
                          metadata={"description": "E.164 for phone and sms (+15551234567), an address for email"})
    use = optional_one_of(CONTACT_USES)

    @post_load
    def normalise_value(self, data, **kwargs):
        try:
            data["value"] = _normalised(data["system"], data["value"].strip())
        except ma.ValidationError as error:
            raise ma.ValidationError(error.messages, field_name="value") from None
        return data


def _normalised(system: str, value: str) -> str:
    if system == "email":
        return _check_email(value)
    try:
        return normalise_phone(value)
    except ValueError as error:
        raise ma.ValidationError(str(error)) from None


class AddressSchema(ma.Schema):
    use = optional_one_of(ADDRESS_USES)
    lines = fields.List(Trimmed(100), required=True, validate=validate.Length(min=1, max=3))
    city = Trimmed(100, required=True)
    state = Trimmed(100, load_default=None, allow_none=True)
    postal_code = Trimmed(20, load_default=None, allow_none=True)
    country = fields.String(required=True,
                            validate=validate.Regexp(r"^[A-Z]{2}$", error="An ISO 3166 country code such as US."))


class CommunicationSchema(ma.Schema):
    preferred_channel = one_of(PERSON_CHANNELS, load_default=DEFAULT_COMMUNICATION["preferred_channel"])
    quiet_hours_start = fields.String(load_default=None, allow_none=True, metadata={
        "description": "HH:MM local time, in the person's time zone; with quiet_hours_end or not at all",
        "pattern": TIME_OF_DAY, "example": "21:00"})
    quiet_hours_end = fields.String(load_default=None, allow_none=True, metadata={
        "description": "HH:MM local time; before the start for a window past midnight", "pattern": TIME_OF_DAY,
        "example": "08:00"})
    sms_consent = fields.Boolean(load_default=False, metadata={"description": "the person agreed to receive texts"})

    @validates_schema
    def quiet_hours_make_a_window(self, data, **kwargs):
        try:
            check_quiet_hours(data.get("quiet_hours_start"), data.get("quiet_hours_end"))
        except ValueError as error:
            raise ma.ValidationError(str(error), field_name="quiet_hours_start") from None


def contact_points():
    return fields.List(fields.Nested(ContactPointSchema), load_default=list, validate=validate.Length(max=10))


def communication():
    return fields.Nested(CommunicationSchema, load_default=lambda: dict(DEFAULT_COMMUNICATION))


def language(**kwargs):
    return Normalised(normalise_language, metadata={
        "description": "BCP 47 language tag (any letter case; answered in the usual one)",
        "pattern": LANGUAGE_TAG.pattern, "maxLength": LANGUAGE_TAG_MAX, "example": "es-MX"}, **kwargs)


def time_zone(**kwargs):
    return Normalised(check_time_zone, metadata={**TIME_ZONE, "description": "IANA time zone",
                                                 "example": "America/Chicago"}, **kwargs)
