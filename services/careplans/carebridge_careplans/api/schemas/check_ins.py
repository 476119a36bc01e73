"""Check-ins and progress notes."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge.web import PageArgs

from ...domain.lifecycles import GOAL_ACHIEVEMENT_STATUSES
from .fields import one_of, text

CONTEXTS = ("after-visit", "after-hospital-stay", "routine", "other")
CONTACT_METHODS = ("phone", "video", "in-person", "message")
OVERALL = ("improving", "stable", "worsening", "unknown")
BARRIERS = ("transportation", "cost", "understanding", "side-effects", "food-access", "housing", "social-support",
            "mobility", "language", "memory", "other")


class GoalProgressSchema(ma.Schema):
    goal_id = fields.UUID(required=True)
    achievement_status = one_of(GOAL_ACHIEVEMENT_STATUSES, required=True)
    note = text(1000)


class CheckInCreateSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    plan_id = fields.UUID(allow_none=True)
    task_id = fields.UUID(allow_none=True, metadata={"description": "the check-in task this answers (completed when reached)"})
    appointment_id = fields.UUID(allow_none=True)
    context = one_of(CONTEXTS, required=True)
    contact_method = one_of(CONTACT_METHODS, required=True)
    reached = fields.Boolean(required=True)
    overall = one_of(OVERALL, allow_none=True)
    summary = text(4000, metadata={"description": "how the patient is doing"})
    barriers = fields.List(one_of(BARRIERS), validate=validate.Length(max=len(BARRIERS)))
    goal_progress = fields.List(fields.Nested(GoalProgressSchema), validate=validate.Length(max=50))
    note = text(4000)


class CheckInSchema(ma.Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    plan_id = fields.UUID(allow_none=True)
    task_id = fields.UUID(allow_none=True)
    appointment_id = fields.UUID(allow_none=True)
    context = one_of(CONTEXTS)
    contact_method = one_of(CONTACT_METHODS)
    reached = fields.Boolean()
    overall = one_of(OVERALL, allow_none=True)
    summary = fields.String(allow_none=True)
    barriers = fields.List(one_of(BARRIERS))
    goal_progress = fields.List(fields.Dict())
    note = fields.String(allow_none=True)
    recorded_at = fields.AwareDateTime()
    recorded_by = fields.String()


class CheckInListArgs(PageArgs):
    patient_id = fields.UUID(required=True)
    plan_id = fields.UUID()
