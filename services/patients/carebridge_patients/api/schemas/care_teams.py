"""Care teams and their memberships."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from carebridge import clock
from carebridge.web import PageArgs

from ...domain.lifecycles import CARE_TEAM_INITIAL_STATUSES
from ...domain.periods import Period
from ...domain.vocabulary import CARE_TEAM_ROLES, CARE_TEAM_STATUSES
from .fields import AllOptional, Trimmed, UTCDateTime, one_of

CATEGORY = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="A lower-case code such as primary-care.")


class NewMembershipSchema(ma.Schema):
    practitioner_id = fields.UUID(required=True)
    role = one_of(CARE_TEAM_ROLES, metadata={"description": "Defaults to the practitioner's role in the directory"})
    period_start = UTCDateTime(metadata={"description": "Defaults to now"})
    period_end = UTCDateTime(allow_none=True, metadata={
        "description": "Exclusive; none while open. Equal to the start calls off a membership that has not begun."})


class MembershipSchema(NewMembershipSchema):
    id = fields.UUID(dump_only=True)
    active = fields.Function(lambda member: Period(member.period_start, member.period_end).covers(clock.now()),
                             dump_only=True, metadata={"type": "boolean", "description": "The period covers now"})
    version = fields.Integer(dump_only=True, metadata={"description": "The ETag of the membership"})


class MembershipChangesSchema(AllOptional, NewMembershipSchema):
    """Change the role or the period; set `period_end` to end the membership."""
    class Meta:
        exclude = ("practitioner_id",)


class NewCareTeamSchema(ma.Schema):
    patient_id = fields.UUID(required=True)
    name = Trimmed(100, required=True, metadata={"example": "Cardiology"})
    category = fields.String(load_default=None, allow_none=True, validate=[validate.Length(max=60), CATEGORY],
                             metadata={"example": "cardiology"})
    status = one_of(CARE_TEAM_INITIAL_STATUSES, load_default="active")
    lead_coordinator_id = fields.UUID(load_default=None, allow_none=True,
                                      metadata={"description": "An active practitioner with role coordinator"})
    members = fields.List(fields.Nested(NewMembershipSchema), load_default=list, validate=validate.Length(max=50))


class CareTeamSchema(NewCareTeamSchema):
    id = fields.UUID(dump_only=True)
    status = one_of(CARE_TEAM_STATUSES, dump_only=True)
    members = fields.List(fields.Nested(MembershipSchema), attribute="memberships", dump_only=True,
                          metadata={"description": "Every membership, ended ones included"})
    version = fields.Integer(dump_only=True, metadata={"description": "The ETag; also the revision of its events"})
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class CareTeamChangesSchema(AllOptional, NewCareTeamSchema):
    """The fields to change; membership changes have their own endpoints."""
    class Meta:
        exclude = ("patient_id", "members")

    status = one_of(CARE_TEAM_STATUSES)


class CareTeamSearchArgs(PageArgs):
    patient_id = fields.UUID()
    member = fields.UUID(metadata={"description": "A practitioner who is a member now"})
    status = one_of(CARE_TEAM_STATUSES)


class PatientCareTeamArgs(PageArgs):
    status = one_of(CARE_TEAM_STATUSES)
