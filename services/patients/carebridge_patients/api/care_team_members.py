"""/care-teams/{id}/members: add, change and end memberships.

Each change moves the team's revision on and publishes one
`patients.care-team-changed` with the team's full membership.
"""
from __future__ import annotations

import uuid

from flask.views import MethodView

from carebridge.web import (Blueprint, documented_if_match, idempotent, patient_scoped, request_session,
                            require_if_match)

from ..service_layer import care_teams
from .access_rules import MANAGES_CARE_TEAMS, SEES_DEMOGRAPHICS, authorize
from .examples import CHANGED_MEMBERSHIP, MEMBERSHIP, MEMBERSHIP_CHANGES, NEW_MEMBERSHIP
from .responses import answer
from .schemas.care_teams import MembershipChangesSchema, MembershipSchema, NewMembershipSchema

blp = Blueprint("care-team-members", __name__, url_prefix="/care-teams/<uuid:team_id>/members",
                description="Memberships of a care team: who, in which role, from when until when.")

RESOURCE = "care-team-membership"
_member = MembershipSchema()


def _team_for_change(team_id: uuid.UUID, action: str, membership_id: uuid.UUID | None = None):
    session = request_session()
    team = care_teams.get(session, team_id, for_update=True)
    authorize(team.patient_id, roles=MANAGES_CARE_TEAMS, action=action, resource_type=RESOURCE,
              resource_id=membership_id)
    return session, team


@blp.route("")
class Members(MethodView):
    @patient_scoped
    @idempotent
    @blp.doc(operationId="addCareTeamMember")
    @blp.arguments(NewMembershipSchema, example=NEW_MEMBERSHIP)
    @blp.response(201, MembershipSchema, example=MEMBERSHIP)
    def post(self, data, team_id: uuid.UUID):
        """Add a member

        The role defaults to the practitioner's role in the directory and the
        start to now. 409 when the practitioner is already on the team for
        part of the period."""
        session, team = _team_for_change(team_id, "create")
        member = care_teams.add_member(session, team, data)
        return answer(_member, member, created_at=f"/care-teams/{team.id}/members/{member.id}")


@blp.route("/<uuid:membership_id>")
class MemberById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getCareTeamMember")
    @blp.response(200, MembershipSchema, example=MEMBERSHIP)
    def get(self, team_id: uuid.UUID, membership_id: uuid.UUID):
        """Read a membership

        Its ETag is what a change needs."""
        team = care_teams.get(request_session(), team_id)
        authorize(team.patient_id, roles=SEES_DEMOGRAPHICS, action="read", resource_type=RESOURCE,
                  resource_id=membership_id)
        member = care_teams.membership(team, membership_id)
        return answer(_member, member)

    @patient_scoped
    @documented_if_match
    @blp.doc(operationId="updateCareTeamMember")
    @blp.arguments(MembershipChangesSchema, example=MEMBERSHIP_CHANGES)
    @blp.response(200, MembershipSchema, example=CHANGED_MEMBERSHIP)
    def patch(self, changes, team_id: uuid.UUID, membership_id: uuid.UUID):
        """Change or end a membership

        Set `period_end` to end it (now, or when it should end); change the
        role or the period otherwise."""
        session, team = _team_for_change(team_id, "update", membership_id)
        member = care_teams.membership(team, membership_id)
        require_if_match(member.version)
        care_teams.update_member(session, team, member, changes)
        return answer(_member, member)
