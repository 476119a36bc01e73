"""/care-teams and /patients/{id}/care-teams: who looks after a patient.

Billing staff see who is on a team, not what it is for: its name and
category (cardiology, oncology...) say something about the patient's health.
"""
from __future__ import annotations

import uuid

from flask import jsonify
from flask.views import MethodView

from carebridge.web import (Blueprint, current_principal, documented_if_match, idempotent, page_of, paged,
                            patient_scoped, request_session, require_if_match, require_roles)

from ..service_layer import care_teams, patients
from .access_rules import (MANAGES_CARE_TEAMS, SEES_CLINICAL, SEES_DEMOGRAPHICS, authorize, searched_patients,
                           sees_clinical_detail)
from .examples import CARE_TEAM, CARE_TEAM_CHANGES, CHANGED_CARE_TEAM, NEW_CARE_TEAM
from .responses import answer
from .schemas.fields import STRICT_QUERY
from .schemas.care_teams import (CareTeamChangesSchema, CareTeamSchema, CareTeamSearchArgs, NewCareTeamSchema,
                                 PatientCareTeamArgs)

blp = Blueprint("care-teams", __name__,
                description="Care teams of a patient: members with their role and period, the lead coordinator.")

RESOURCE = "care-team"
_team = CareTeamSchema()
_team_for_billing = CareTeamSchema(exclude=("name", "category"))


def _team_schema() -> CareTeamSchema:
    return _team if sees_clinical_detail(current_principal()) else _team_for_billing


@blp.route("/care-teams")
class CareTeams(MethodView):
    @require_roles(*SEES_CLINICAL)
    @blp.doc(operationId="searchCareTeams")
    @blp.arguments(CareTeamSearchArgs, **STRICT_QUERY)
    @blp.response(200, paged(CareTeamSchema))
    def get(self, args):
        """Find care teams

        `member=<your id>` lists the teams you are on now. Nurses, physicians
        and specialists see only teams of their own patients. Leaves a
        `search` audit record for each patient whose team is on the page."""
        visible = searched_patients(RESOURCE, SEES_CLINICAL)
        criteria = care_teams.TeamSearch(patient_id=args.get("patient_id"), member=args.get("member"),
                                         status=args.get("status"))
        return page_of(request_session(), care_teams.search(criteria, visible), args)

    @patient_scoped
    @idempotent
    @blp.doc(operationId="createCareTeam")
    @blp.arguments(NewCareTeamSchema, example=NEW_CARE_TEAM)
    @blp.response(201, CareTeamSchema, example=CARE_TEAM)
    def post(self, data):
        """Form a care team

        Members must be active practitioners; the lead an active coordinator.
        Publishes one `patients.care-team-changed` with the full membership."""
        authorize(data["patient_id"], roles=MANAGES_CARE_TEAMS, action="create", resource_type=RESOURCE)
        team = care_teams.create(request_session(), data)
        return answer(_team, team, created_at=f"/care-teams/{team.id}")


@blp.route("/care-teams/<uuid:team_id>")
class CareTeamById(MethodView):
    @patient_scoped
    @blp.doc(operationId="getCareTeam")
    @blp.response(200, CareTeamSchema, example=CARE_TEAM)
    def get(self, team_id: uuid.UUID):
        """Read a care team with all its memberships"""
        team = care_teams.get(request_session(), team_id)
        authorize(team.patient_id, roles=SEES_DEMOGRAPHICS, action="read", resource_type=RESOURCE, resource_id=team.id)
        return answer(_team_schema(), team)

    @patient_scoped
    @documented_if_match
    @blp.doc(operationId="updateCareTeam")
    @blp.arguments(CareTeamChangesSchema, example=CARE_TEAM_CHANGES)
    @blp.response(200, CareTeamSchema, example=CHANGED_CARE_TEAM)
    def patch(self, changes, team_id: uuid.UUID):
        """Change a care team

        Its name, category, lead coordinator or status (proposed → active ⇄
        suspended, any → inactive, which is final). Publishes one
        `patients.care-team-changed`."""
        session = request_session()
        team = care_teams.get(session, team_id, for_update=True)
        authorize(team.patient_id, roles=MANAGES_CARE_TEAMS, action="update", resource_type=RESOURCE,
                  resource_id=team.id)
        require_if_match(team.version)
        care_teams.update(session, team, changes)
        return answer(_team, team)


@blp.route("/patients/<uuid:patient_id>/care-teams")
class PatientCareTeams(MethodView):
    @patient_scoped
    @blp.doc(operationId="listPatientCareTeams")
    @blp.arguments(PatientCareTeamArgs, **STRICT_QUERY)
    @blp.response(200, paged(CareTeamSchema))
    def get(self, args, patient_id: uuid.UUID):
        """List a patient's care teams"""
        authorize(patient_id, roles=SEES_DEMOGRAPHICS, action="read", resource_type=RESOURCE)
        session = request_session()
        patients.ensure_exists(session, patient_id)
        page = page_of(session, care_teams.search(care_teams.TeamSearch(patient_id=patient_id,
                                                                        status=args.get("status")), None), args)
        schema = _team_schema()
        if schema is _team:
            return page
        return jsonify({**page, "items": schema.dump(page["items"], many=True)})
