"""The staff directory."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.web import PageArgs

from ...domain.practitioners import NPI, check_npi
from ...domain.vocabulary import STAFF_ROLES
from .contact import contact_points, language, time_zone
from .fields import AllOptional, Normalised, Trimmed, one_of


class NewPractitionerSchema(ma.Schema):
    id = fields.UUID(metadata={"description": "The subject of the person's tokens, if the identity provider "
                                              "has one already; otherwise the directory assigns an id"})
    given_name = Trimmed(100, required=True)
    family_name = Trimmed(100, required=True)
    role = one_of(STAFF_ROLES, required=True)
    specialty = Trimmed(80, load_default=None, allow_none=True,
                        metadata={"description": "Required for specialists", "example": "cardiology"})
    npi = Normalised(check_npi, load_default=None, allow_none=True,
                     metadata={"description": "National Provider Identifier (10 digits, the last a Luhn check digit)",
                               "pattern": NPI.pattern, "example": "1234567893"})
    contact_points = contact_points()
    time_zone = time_zone(required=True)
    preferred_language = language(load_default="en")
    active = fields.Boolean(load_default=True)


class PractitionerSchema(NewPractitionerSchema):
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class PractitionerChangesSchema(AllOptional, NewPractitionerSchema):
    """The fields to change. Setting `active` to false also ends the
    person's care-team memberships and lead roles."""
    class Meta:
        exclude = ("id",)


class PractitionerSearchArgs(PageArgs):
    q = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "Part of the name"})
    role = one_of(STAFF_ROLES)
    specialty = fields.String(validate=validate.Length(min=1, max=80))
    active = fields.Boolean()
