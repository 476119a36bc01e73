"""Who hears about a patient, and how they can be reached (channels, not addresses)."""
import marshmallow as ma
from marshmallow import fields

from carebridge.web import PageArgs

from ...domain.vocabulary import FAMILY_CONSENT_CATEGORIES, INAPP, PERSON_TYPES, PUSH_CHANNELS


class ReachSchema(ma.Schema):
    recipient_type = fields.String(dump_only=True, metadata={"enum": list(PERSON_TYPES)})
    recipient_id = fields.UUID(dump_only=True)
    known = fields.Boolean(dump_only=True, metadata={"description": "Whether the patients service told us about them"})
    role = fields.String(dump_only=True, allow_none=True)
    relationship = fields.String(dump_only=True, allow_none=True)
    lead_coordinator = fields.Boolean(dump_only=True)
    consents_to = fields.List(fields.String(metadata={"enum": list(FAMILY_CONSENT_CATEGORIES)}), dump_only=True)
    reachable_by = fields.List(fields.String(metadata={"enum": [INAPP, *PUSH_CHANNELS]}), dump_only=True)
    opted_out = fields.Boolean(dump_only=True)
    language = fields.String(dump_only=True, allow_none=True)
    time_zone = fields.String(dump_only=True, allow_none=True)


class RecipientArgs(PageArgs):
    patient_id = fields.UUID(required=True)
