"""Care plans, their versions and differences."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate, validates_schema

from carebridge.events.catalogue.careplans import PLAN_SECTIONS, PLAN_STATUSES
from carebridge.web import PageArgs

from ...domain.lifecycles import GOAL_ACHIEVEMENT_STATUSES, GOAL_LIFECYCLE_STATUSES
from ...domain.plain_language import WARNING_ACTIONS
from .activities import ActivitySchema
from .alerts import MedicationAlertSchema
from .fields import IsoDate, one_of, text

CONDITION_SYSTEMS = ("icd-10-cm", "snomed-ct")
# Whom the patient may call: not the care-team vocabulary
# (`catalogue.common.CARE_TEAM_ROLES`), which has billing and no after-hours line.
CONTACT_ROLES = ("coordinator", "nurse", "physician", "specialist", "therapist", "pharmacist", "social-worker",
                 "after-hours-line", "other")


class ConditionSchema(ma.Schema):
    system = one_of(CONDITION_SYSTEMS, required=True)
    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9.\-]{1,20}$"))
    display = text(200)


class PeriodSchema(ma.Schema):
    start = IsoDate(required=True)
    end = IsoDate(allow_none=True)

    @validates_schema
    def _in_order(self, data, **_kwargs):
        if data.get("end") and data["end"] < data["start"]:
            raise ma.ValidationError("end must not be before start", "end")


class WarningSignSchema(ma.Schema):
    sign = text(300, required=True)
    action = one_of(tuple(WARNING_ACTIONS), required=True)


class ContactSchema(ma.Schema):
    """Whom the patient calls (shown in the patient's summary)."""
    role = one_of(CONTACT_ROLES, required=True)
    name = text(120)
    phone = fields.String(allow_none=True, validate=validate.Regexp(r"^\+?[0-9 ()\-]{3,30}$"))
    hours = text(120, metadata={"description": "when to call, for example 'weekdays 8 am to 5 pm'"})


class GoalTargetSchema(ma.Schema):
    measure = text(200)
    detail = text(200)
    due_date = IsoDate(allow_none=True)


class GoalSchema(ma.Schema):
    """A goal. In a change, an item with `id` changes that goal, one without
    adds a goal."""
    id = fields.UUID()
    description = text(2000)
    target = fields.Nested(GoalTargetSchema, allow_none=True)
    lifecycle_status = one_of(GOAL_LIFECYCLE_STATUSES)
    achievement_status = one_of(GOAL_ACHIEVEMENT_STATUSES, allow_none=True)


class MedicationOverrideSchema(ma.Schema):
    reason = text(1000, required=True, min_length=5, metadata={
        "description": "why the contraindicated or major findings are accepted (physician or nurse only)"})


class _PlanContentSchema(ma.Schema):
    goals = fields.List(fields.Nested(GoalSchema), validate=validate.Length(max=50))
    activities = fields.List(fields.Nested(ActivitySchema), validate=validate.Length(max=100))
    medication_override = fields.Nested(MedicationOverrideSchema, allow_none=True)


class PlanCreateSchema(_PlanContentSchema):
    patient_id = fields.UUID(required=True)
    care_team_id = fields.UUID(allow_none=True)
    status = one_of(("draft", "active"), load_default="draft")
    title = text(200, required=True)
    description = text(4000)
    conditions = fields.List(fields.Nested(ConditionSchema), load_default=list, validate=validate.Length(max=20))
    period = fields.Nested(PeriodSchema, required=True)
    warning_signs = fields.List(fields.Nested(WarningSignSchema), load_default=list,
                                validate=validate.Length(max=30))
    contacts = fields.List(fields.Nested(ContactSchema), load_default=list, validate=validate.Length(max=10))
    reason = text(1000, load_default="Plan created")


class PlanRevisionSchema(_PlanContentSchema):
    """A change to a plan: only what is given changes; it becomes one new version."""
    reason = text(1000, required=True, metadata={"description": "why the plan changes (kept with the version)"})
    care_team_id = fields.UUID(allow_none=True)
    title = text(200, allow_none=False)
    description = text(4000)
    conditions = fields.List(fields.Nested(ConditionSchema), validate=validate.Length(max=20))
    period = fields.Nested(PeriodSchema)
    warning_signs = fields.List(fields.Nested(WarningSignSchema), validate=validate.Length(max=30))
    contacts = fields.List(fields.Nested(ContactSchema), validate=validate.Length(max=10))


class PlanStatusChangeSchema(ma.Schema):
    status = one_of(PLAN_STATUSES, required=True)
    reason = text(1000, required=True)


class TemplateReferenceSchema(ma.Schema):
    code = fields.String()
    version = fields.String()


class PlanDocumentSchema(ma.Schema):
    """A plan as it stands in one version."""
    id = fields.UUID()
    patient_id = fields.UUID()
    care_team_id = fields.UUID(allow_none=True)
    status = one_of(PLAN_STATUSES)
    title = fields.String()
    description = fields.String(allow_none=True)
    conditions = fields.List(fields.Nested(ConditionSchema))
    period = fields.Nested(PeriodSchema)
    warning_signs = fields.List(fields.Nested(WarningSignSchema))
    contacts = fields.List(fields.Nested(ContactSchema))
    template = fields.Nested(TemplateReferenceSchema, allow_none=True)
    goals = fields.List(fields.Nested(GoalSchema))
    activities = fields.List(fields.Nested(ActivitySchema))


class PlanSchema(PlanDocumentSchema):
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    created_by = fields.String()
    updated_at = fields.AwareDateTime()


class PlanListArgs(PageArgs):
    patient_id = fields.UUID()
    status = fields.List(one_of(PLAN_STATUSES))


class PlanListItemSchema(ma.Schema):
    id = fields.UUID()
    patient_id = fields.UUID()
    care_team_id = fields.UUID(allow_none=True)
    status = one_of(PLAN_STATUSES)
    title = fields.String()
    period_start = fields.Date()
    period_end = fields.Date(allow_none=True)
    template_code = fields.String(allow_none=True)
    version = fields.Integer()
    updated_at = fields.AwareDateTime()


class PlanVersionItemSchema(ma.Schema):
    version = fields.Integer()
    authored_at = fields.AwareDateTime()
    author = fields.String(metadata={"description": "practitioner id, or 'system' for changes made by events"})
    author_roles = fields.String()
    reason = fields.String()
    changed_sections = fields.List(fields.String(validate=validate.OneOf(PLAN_SECTIONS)))
    caused_by_event_id = fields.UUID(allow_none=True)


class PlanVersionSchema(PlanVersionItemSchema):
    """One version of a plan: who changed it, when and why, the whole plan as
    it then stood, and the medication safety findings kept with it."""
    document = fields.Nested(PlanDocumentSchema)
    medication_alerts = fields.List(fields.Nested(MedicationAlertSchema))


class DiffArgs(ma.Schema):
    from_version = fields.Integer(required=True, data_key="from", validate=validate.Range(min=1))
    to_version = fields.Integer(required=True, data_key="to", validate=validate.Range(min=1))


class ItemsDiffSchema(ma.Schema):
    added = fields.List(fields.Dict())
    changed = fields.List(fields.Dict(), metadata={"description": "{id, changes: {field: {from, to}}}"})
    removed = fields.List(fields.Dict())


class PlanDiffSchema(ma.Schema):
    plan_id = fields.UUID()
    from_version = fields.Integer()
    to_version = fields.Integer()
    changed_sections = fields.List(fields.String())
    details = fields.Dict(metadata={"description": "{field: {from, to}}"})
    status = fields.Dict(allow_none=True)
    goals = fields.Nested(ItemsDiffSchema)
    medications = fields.Nested(ItemsDiffSchema)
    activities = fields.Nested(ItemsDiffSchema)


class TemplateInstantiationSchema(ma.Schema):
    template_code = fields.String(required=True, validate=validate.Length(min=1, max=80))
    patient_id = fields.UUID(required=True)
    care_team_id = fields.UUID(allow_none=True)
    start_date = IsoDate(allow_none=True, metadata={"description": "day 0 of the template (default: today, UTC)"})
    leave_out = fields.List(fields.String(validate=validate.Length(max=80)), validate=validate.Length(max=50),
                            metadata={"description": "keys of the template's activities not to include"})
    contacts = fields.List(fields.Nested(ContactSchema), validate=validate.Length(max=10))
    medication_override = fields.Nested(MedicationOverrideSchema, allow_none=True)
