"""Family members and caregivers, and their consent."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from carebridge.web import PageArgs

from ...domain.vocabulary import RELATIONSHIPS
from .contact import communication, contact_points, language, time_zone
from .fields import AllOptional, Trimmed, one_of


class ConsentScopesSchema(ma.Schema):
    """What the related person may be told about the patient."""
    appointments = fields.Boolean(required=True)
    care_plan = fields.Boolean(required=True)
    billing = fields.Boolean(required=True)


class ConsentSchema(ConsentScopesSchema):
    recorded_by = fields.UUID(dump_only=True, allow_none=True,
                              metadata={"description": "The practitioner who recorded the decision"})
    recorded_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    withdrawn_by = fields.UUID(dump_only=True, allow_none=True)
    withdrawn_at = fields.AwareDateTime(dump_only=True, allow_none=True,
                                        metadata={"description": "Set while the consent is withdrawn"})


class NewRelatedPersonSchema(ma.Schema):
    given_name = Trimmed(100, required=True)
    family_name = Trimmed(100, required=True)
    relationship = one_of(RELATIONSHIPS, required=True)
    contact_points = contact_points()
    preferred_language = language(load_default="en")
    time_zone = time_zone(load_default=None, allow_none=True)
    communication = communication()
    consent = fields.Nested(ConsentScopesSchema, load_default=None,
                            metadata={"description": "Recorded as given by you, now; without it nothing is shared"})


class RelatedPersonSchema(NewRelatedPersonSchema):
    id = fields.UUID(dump_only=True)
    patient_id = fields.UUID(dump_only=True)
    active = fields.Boolean(dump_only=True)
    consent = fields.Nested(ConsentSchema, dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class RelatedPersonChangesSchema(AllOptional, NewRelatedPersonSchema):
    """The fields to change. Consent has its own endpoints, so that each
    decision is recorded with who made it and when."""
    class Meta:
        exclude = ("consent",)

    active = fields.Boolean()


class RelatedPersonListArgs(PageArgs):
    active = fields.Boolean()
