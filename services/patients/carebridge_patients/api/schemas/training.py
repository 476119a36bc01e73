"""New staff onboarding: training with a mentor and a checklist."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from ...domain.training import CHECKLIST_KINDS, SIGNED_OFF, TRAINING_STATUSES
from .fields import Trimmed, one_of

_CODE = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,59}$", error="Lower-case letters, digits and hyphens (at most 60).")


class ChecklistItemSchema(ma.Schema):
    code = fields.String(required=True, validate=_CODE, metadata={"example": "shadow-intake"})
    kind = one_of(CHECKLIST_KINDS, required=True)
    title = Trimmed(200, required=True)
    done_at = fields.String(dump_only=True, allow_none=True, metadata={"format": "date-time"})
    done_by = fields.UUID(dump_only=True, allow_none=True)


class NewTrainingSchema(ma.Schema):
    mentor_id = fields.UUID(required=True, metadata={"description": "Another active practitioner"})
    checklist = fields.List(fields.Nested(ChecklistItemSchema), validate=validate.Length(min=1, max=60),
                            load_default=None,
                            metadata={"description": "The items to work through; without it, the role's "
                                                     "default checklist"})


class TrainingProgressSchema(ma.Schema):
    done = fields.List(fields.String(validate=_CODE), load_default=list, validate=validate.Length(max=60),
                       metadata={"description": "Codes of the checklist items to tick off"})
    status = one_of((SIGNED_OFF,), metadata={"description": "`signed-off` ends the training"})

    @ma.validates_schema
    def _something(self, data, **kwargs):
        if not data.get("done") and not data.get("status"):
            raise ma.ValidationError("Give the items done, the sign-off, or both.", "done")


class TrainingSchema(ma.Schema):
    practitioner_id = fields.UUID(dump_only=True)
    mentor_id = fields.UUID(dump_only=True)
    status = one_of(TRAINING_STATUSES, dump_only=True)
    checklist = fields.List(fields.Nested(ChecklistItemSchema), dump_only=True)
    started_at = fields.AwareDateTime(dump_only=True)
    started_by = fields.UUID(dump_only=True, allow_none=True)
    signed_off_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    signed_off_by = fields.UUID(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class DefaultChecklistSchema(ma.Schema):
    role = fields.String(dump_only=True)
    checklist = fields.List(fields.Nested(ChecklistItemSchema), dump_only=True)
