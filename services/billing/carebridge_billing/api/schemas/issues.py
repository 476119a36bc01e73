"""Billing issues as the API reads and writes them."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.web import PageArgs

from ...domain.issues import ISSUE_CATEGORIES, ISSUE_RESOLUTIONS, ISSUE_SOURCES, ISSUE_STATUSES
from ..fields import text

NOTE_LENGTH = 4000


class NoteSchema(ma.Schema):
    id = fields.UUID(required=True)
    author = fields.String(required=True)
    body = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)


class NoteCreateSchema(ma.Schema):
    """A note's text is `note`, as when opening or changing an issue. `body`
    is accepted for one more release (the answer then carries a
    `Deprecation` header); give one of them."""
    note = text(NOTE_LENGTH, metadata={"description": "The note."})
    body = text(NOTE_LENGTH, metadata={"description": "Deprecated: the former name of `note`, accepted for one "
                                                      "release."})

    @ma.validates_schema
    def _one_text(self, data, **kwargs):
        given = [name for name in ("note", "body") if data.get(name)]
        if not given:
            raise ma.ValidationError("Give the note.", "note")
        if len(given) == 2:
            raise ma.ValidationError("Give `note` only (`body` is its deprecated name).", "body")


class IssueCreateSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    category = fields.String(required=True, validate=validate.OneOf(ISSUE_CATEGORIES))
    source = fields.String(load_default="staff", validate=validate.OneOf(ISSUE_SOURCES), metadata={
        "description": "Who raised it: the patient, family, staff, or a payer letter."})
    summary = text(500, required=True)
    claim_id = fields.UUID(allow_none=True)
    charge_id = fields.UUID(allow_none=True)
    assignee_id = fields.UUID(allow_none=True)
    note = text(NOTE_LENGTH, metadata={"description": "A first note."})


class IssueUpdateSchema(ma.Schema):
    status = fields.String(validate=validate.OneOf(ISSUE_STATUSES))
    resolution = fields.String(validate=validate.OneOf(ISSUE_RESOLUTIONS), metadata={
        "description": "Required when the status becomes resolved."})
    assignee_id = fields.UUID(allow_none=True)
    note = text(NOTE_LENGTH)

    @ma.validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ma.ValidationError("Change at least one field.", "_schema")


class IssueSchema(ma.Schema):
    id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    category = fields.String(required=True, validate=validate.OneOf(ISSUE_CATEGORIES))
    status = fields.String(required=True, validate=validate.OneOf(ISSUE_STATUSES))
    source = fields.String(required=True, validate=validate.OneOf(ISSUE_SOURCES))
    summary = fields.String(required=True)
    claim_id = fields.UUID(allow_none=True)
    charge_id = fields.UUID(allow_none=True)
    assignee_id = fields.UUID(allow_none=True)
    opened_by = fields.String(required=True)
    opened_at = fields.AwareDateTime(required=True)
    resolution = fields.String(allow_none=True, validate=validate.OneOf(ISSUE_RESOLUTIONS))
    resolved_by = fields.String(allow_none=True)
    resolved_at = fields.AwareDateTime(allow_none=True)
    notes = fields.List(fields.Nested(NoteSchema), required=True)
    version = fields.Integer(required=True)
    updated_at = fields.AwareDateTime(required=True)


class IssueListArgs(PageArgs):
    patient_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(ISSUE_STATUSES))
    category = fields.String(validate=validate.OneOf(ISSUE_CATEGORIES))
    assignee_id = fields.UUID()
