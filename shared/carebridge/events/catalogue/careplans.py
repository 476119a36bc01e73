"""Events published by the care plans service."""
from marshmallow import fields, validate

from ..registry import registry
from .common import DataSchema
from .monitoring import MEASURES as MONITORING_MEASURES

PLAN_STATUSES = ("draft", "active", "on-hold", "completed", "revoked")
PLAN_SECTIONS = ("goals", "activities", "medications", "status", "details")
ACTIVITY_STATUSES = ("not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped")
TASK_PRIORITIES = ("routine", "urgent", "asap", "stat")
TASK_CODES = ("outreach", "check-in", "adherence-review", "rebook", "medication-review",
              "follow-up-booking", "prior-auth-follow-up", "general")
ALERT_KINDS = ("drug-interaction", "duplicate-therapy", "allergy")
ALERT_SEVERITIES = ("contraindicated", "major", "moderate", "minor")
# What became of the change a finding is about: accepted (moderate or minor
# findings), overridden (by a physician or nurse, with a reason), blocked (the
# change was refused), detected (an allergy recorded after the drug was ordered).
ALERT_OUTCOMES = ("accepted", "overridden", "blocked", "detected")


class ActivityToSchedule(DataSchema):
    """A follow-up visit or therapy schedule that someone has to book."""
    activity_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("follow-up", "therapy")))
    status = fields.String(required=True, validate=validate.OneOf(ACTIVITY_STATUSES))
    appointment_type_code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    window_start = fields.Date(load_default=None, allow_none=True)
    window_end = fields.Date(load_default=None, allow_none=True)
    sessions_per_week = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=14))
    duration_weeks = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=104))
    practitioner_id = fields.UUID(load_default=None, allow_none=True)


class SectionChange(DataSchema):
    """How many items of one section a plan version added, changed and removed."""
    section = fields.String(required=True, validate=validate.OneOf(PLAN_SECTIONS))
    added = fields.Integer(load_default=0, validate=validate.Range(min=0))
    changed = fields.Integer(load_default=0, validate=validate.Range(min=0))
    removed = fields.Integer(load_default=0, validate=validate.Range(min=0))


class MonitoringLimits(DataSchema):
    """The limits one of a plan's open monitoring activities sets for one
    measure, in its canonical unit (numbers only)."""
    activity_id = fields.UUID(required=True)
    measure = fields.String(required=True, validate=validate.OneOf(MONITORING_MEASURES))
    low = fields.Float(load_default=None, allow_none=True, allow_nan=False)
    high = fields.Float(load_default=None, allow_none=True, allow_nan=False)
    critical_low = fields.Float(load_default=None, allow_none=True, allow_nan=False)
    critical_high = fields.Float(load_default=None, allow_none=True, allow_nan=False)


@registry.register("careplans.plan-updated", 1)
class PlanUpdatedV1(DataSchema):
    plan_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    care_team_id = fields.UUID(load_default=None, allow_none=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    status = fields.String(required=True, validate=validate.OneOf(PLAN_STATUSES))
    changed_sections = fields.List(fields.String(validate=validate.OneOf(PLAN_SECTIONS)), required=True)
    # True when the change alters what the patient does (medications,
    # visits, diet, therapy, goals of an active plan), so the patient and
    # consenting family are told too.
    patient_facing = fields.Boolean(required=True)
    author_id = fields.UUID(load_default=None, allow_none=True)
    activities_to_schedule = fields.List(fields.Nested(ActivityToSchedule), load_default=list)
    # The system made the change from another service's event (a visit
    # booked, missed, done): the team heard of that event already.
    by_system = fields.Boolean(load_default=False)
    # What changed, counted per section ("goals: 1 added, medications: 1 changed").
    section_changes = fields.List(fields.Nested(SectionChange), load_default=list)
    # The limits per measure of the plan's open monitoring activities while
    # the plan is active (none otherwise): what monitoring applies to the
    # patient's active enrolment.
    monitoring_limits = fields.List(fields.Nested(MonitoringLimits), load_default=list)


@registry.register("careplans.plan-status-changed", 1)
class PlanStatusChangedV1(DataSchema):
    plan_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    care_team_id = fields.UUID(load_default=None, allow_none=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    previous_status = fields.String(required=True, validate=validate.OneOf(PLAN_STATUSES))
    status = fields.String(required=True, validate=validate.OneOf(PLAN_STATUSES))


class _TaskReference(DataSchema):
    task_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    care_team_id = fields.UUID(load_default=None, allow_none=True)
    owner_id = fields.UUID(required=True)
    code = fields.String(required=True, validate=validate.OneOf(TASK_CODES))
    priority = fields.String(required=True, validate=validate.OneOf(TASK_PRIORITIES))
    due_at = fields.AwareDateTime(load_default=None, allow_none=True)


@registry.register("careplans.task-assigned", 1)
class TaskAssignedV1(_TaskReference):
    requester_id = fields.UUID(load_default=None, allow_none=True)
    previous_owner_id = fields.UUID(load_default=None, allow_none=True)
    focus_type = fields.String(load_default=None, allow_none=True,
                               validate=validate.OneOf(("plan", "activity", "appointment", "goal")))
    focus_id = fields.UUID(load_default=None, allow_none=True)


@registry.register("careplans.task-overdue", 1)
class TaskOverdueV1(_TaskReference):
    pass


@registry.register("careplans.medication-alert", 1)
class MedicationAlertV1(DataSchema):
    alert_id = fields.UUID(required=True)
    plan_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    care_team_id = fields.UUID(load_default=None, allow_none=True)
    plan_version = fields.Integer(required=True, validate=validate.Range(min=1))
    activity_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ALERT_KINDS))
    severity = fields.String(required=True, validate=validate.OneOf(ALERT_SEVERITIES))
    rxnorm_codes = fields.List(fields.String(validate=validate.Length(max=64)), required=True)
    interacting_activity_id = fields.UUID(load_default=None, allow_none=True)
    allergy_id = fields.UUID(load_default=None, allow_none=True)
    prescriber_id = fields.UUID(load_default=None, allow_none=True)
    overridden = fields.Boolean(required=True)
    overridden_by = fields.UUID(load_default=None, allow_none=True)
    outcome = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(ALERT_OUTCOMES))


@registry.register("careplans.plan-summary-sent", 1)
class PlanSummarySentV1(DataSchema):
    """Staff sent a plan's plain-language summary to the patient (and, with
    their consent, the family) as a secure message. Identifiers only: the
    secure page shows the summary as careplans writes it."""
    sending_id = fields.UUID(required=True)
    plan_id = fields.UUID(required=True)
    patient_id = fields.UUID(required=True)
    care_team_id = fields.UUID(load_default=None, allow_none=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    include_family = fields.Boolean(required=True)
    sent_by = fields.UUID(load_default=None, allow_none=True)
