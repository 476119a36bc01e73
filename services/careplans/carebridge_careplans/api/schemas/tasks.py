"""The coordinator worklist."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validates_schema

from carebridge.events.catalogue.careplans import TASK_CODES, TASK_PRIORITIES
from carebridge.web import PageArgs

from ...domain.lifecycles import TASK_STATUSES
from .fields import one_of, text

FOCUS_TYPES = ("plan", "activity", "appointment", "goal")


class TaskCreateSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    code = one_of(TASK_CODES, required=True)
    priority = one_of(TASK_PRIORITIES, load_default="routine")
    reason = text(2000, required=True, metadata={"description": "the business reason: what needs doing and why"})
    note = text(4000)
    due_at = fields.AwareDateTime(allow_none=True)
    focus_type = one_of(FOCUS_TYPES, allow_none=True)
    focus_id = fields.UUID(allow_none=True)
    plan_id = fields.UUID(allow_none=True)
    care_team_id = fields.UUID(allow_none=True)
    owner_id = fields.UUID(allow_none=True, metadata={
        "description": "a practitioner on the patient's care team; default: the team's lead coordinator"})

    @validates_schema
    def _focus_complete(self, data, **_kwargs):
        if (data.get("focus_type") is None) != (data.get("focus_id") is None):
            raise ma.ValidationError("focus_type and focus_id go together", "focus_id")


class TaskUpdateSchema(ma.Schema):
    status = one_of(TASK_STATUSES)
    status_reason = text(1000)
    priority = one_of(TASK_PRIORITIES)
    due_at = fields.AwareDateTime(allow_none=True)
    note = text(4000)

    @validates_schema
    def _something(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("give at least one field to change", "_schema")


class TaskOwnerSchema(ma.Schema):
    owner_id = fields.UUID(required=True, allow_none=True, metadata={
        "description": "the new owner (on the patient's care team); null puts the task in the unassigned queue"})
    reason = text(1000, required=True)


class TaskSchema(ma.Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    care_team_id = fields.UUID(allow_none=True)
    owner_id = fields.UUID(allow_none=True)
    requester_id = fields.UUID(allow_none=True)
    code = one_of(TASK_CODES)
    priority = one_of(TASK_PRIORITIES)
    status = one_of(TASK_STATUSES)
    status_reason = fields.String(allow_none=True)
    reason = fields.String()
    note = fields.String(allow_none=True)
    focus_type = one_of(FOCUS_TYPES, allow_none=True)
    focus_id = fields.UUID(allow_none=True)
    plan_id = fields.UUID(allow_none=True)
    due_at = fields.AwareDateTime(allow_none=True)
    overdue = fields.Boolean()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()


class TaskHistorySchema(ma.Schema):
    at = fields.AwareDateTime()
    actor = fields.String()
    action = fields.String()
    from_owner_id = fields.UUID(allow_none=True)
    to_owner_id = fields.UUID(allow_none=True)
    from_status = one_of(TASK_STATUSES, allow_none=True)
    to_status = one_of(TASK_STATUSES, allow_none=True)
    reason = fields.String(allow_none=True)


class WorklistArgs(PageArgs):
    mine = fields.Boolean(metadata={"description": "tasks I own"})
    team = fields.Boolean(metadata={"description": "tasks of the patients whose care teams I am on"})
    overdue = fields.Boolean()
    unassigned = fields.Boolean(metadata={"description": "tasks nobody owns yet"})
    patient_id = fields.UUID()
    owner_id = fields.UUID()
    priority = fields.List(one_of(TASK_PRIORITIES))
    status = fields.List(one_of(TASK_STATUSES), metadata={"description": "default: the open statuses"})
    code = fields.List(one_of(TASK_CODES))
