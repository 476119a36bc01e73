"""Care teams and their memberships.

Every change of a team or of its membership does three things in one
transaction: the team's version moves on, the care-team access projection
(which `patient_access` reads, here as in every service) is replaced, and
exactly one `patients.care-team-changed` carries the team's full membership.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from carebridge import access, clock
from carebridge.db import among_patients, get_or_404, where_equal
from carebridge.errors import ConflictError, NotFoundError, RuleViolation

from ..domain.changes import changed_values
from ..domain.lifecycles import CARE_TEAM_TRANSITIONS, check_transition
from ..domain.periods import Period
from ..persistence.models import CareTeam, CareTeamMembership, Patient, Practitioner
from ..persistence.queries import teams_with_member
from . import publishing
from .records import apply, touch

log = logging.getLogger(__name__)


def get(session: Session, team_id: uuid.UUID, *, for_update: bool = False) -> CareTeam:
    """`for_update` before a change: concurrent changes of one team queue up,
    so each gets the next revision instead of failing."""
    return get_or_404(session, CareTeam, team_id, "care team", for_update=for_update)


def membership(team: CareTeam, membership_id: uuid.UUID) -> CareTeamMembership:
    for candidate in team.memberships:
        if candidate.id == membership_id:
            return candidate
    raise NotFoundError("No membership with this id on this care team.")


def create(session: Session, data: dict) -> CareTeam:
    if session.get(Patient, data["patient_id"]) is None:
        raise RuleViolation("No patient with this id.", errors={"patient_id": ["No patient with this id."]})
    if data.get("lead_coordinator_id") is not None:
        _check_lead(session, data["lead_coordinator_id"])
    now = clock.now()
    team = CareTeam(id=uuid.uuid4(), patient_id=data["patient_id"], name=data["name"], category=data.get("category"),
                    status=data["status"], lead_coordinator_id=data.get("lead_coordinator_id"),
                    created_at=now, updated_at=now)
    session.add(team)
    for index, member in enumerate(data.get("members", [])):
        _add_membership(session, team, member, now, error_path=("members", index))
    session.flush()
    _changed(session, team)
    log.info("care team created", extra={"patient_id": str(team.patient_id), "resource_id": str(team.id)})
    return team


def update(session: Session, team: CareTeam, requested: dict) -> bool:
    changes = changed_values({name: getattr(team, name) for name in requested}, requested)
    if not changes:
        return False
    if "status" in changes:
        check_transition(CARE_TEAM_TRANSITIONS, team.status, changes["status"])
    if changes.get("lead_coordinator_id") is not None:
        _check_lead(session, changes["lead_coordinator_id"])
    apply(team, changes)
    _save(session, team)
    return True


def add_member(session: Session, team: CareTeam, data: dict) -> CareTeamMembership:
    _ensure_open(team)
    member = _add_membership(session, team, data, clock.now(), error_path=())
    _save(session, team)
    return member


def update_member(session: Session, team: CareTeam, member: CareTeamMembership, requested: dict) -> bool:
    """Change a membership's role or period; setting `period_end` ends it."""
    _ensure_open(team)
    changes = changed_values({name: getattr(member, name) for name in requested}, requested)
    if not changes:
        return False
    period = _period(changes.get("period_start", member.period_start),
                     changes.get("period_end", member.period_end), error_path=())
    _ensure_no_overlap(team, member.practitioner_id, period, excluding=member.id)
    apply(member, changes)
    member.updated_at = clock.now()
    _save(session, team)
    return True


def release_practitioner(session: Session, practitioner_id: uuid.UUID) -> int:
    """A practitioner who leaves the directory leaves every team at once: open
    and planned memberships end now and no team keeps them as its lead, so
    their access ends with their entry. Returns how many teams changed."""
    now = clock.now()
    ending = session.scalars(select(CareTeamMembership.care_team_id).where(
        CareTeamMembership.practitioner_id == practitioner_id,
        or_(CareTeamMembership.period_end.is_(None), CareTeamMembership.period_end > now))).all()
    led = session.scalars(select(CareTeam.id).where(CareTeam.lead_coordinator_id == practitioner_id)).all()
    team_ids = sorted(set(ending) | set(led))
    # In id order, so two releases touching the same teams cannot deadlock.
    teams = session.scalars(select(CareTeam).where(CareTeam.id.in_(team_ids)).order_by(CareTeam.id)
                            .with_for_update()).all()
    for team in teams:
        for member in team.memberships:
            if member.practitioner_id == practitioner_id:
                period = Period(member.period_start, member.period_end).ended_by(now)
                if period.end != member.period_end:
                    member.period_end = period.end
                    member.updated_at = now
        if team.lead_coordinator_id == practitioner_id:
            team.lead_coordinator_id = None
        _save(session, team)
    return len(teams)


@dataclass(frozen=True)
class TeamSearch:
    patient_id: uuid.UUID | None = None
    member: uuid.UUID | None = None
    status: str | None = None


def search(criteria: TeamSearch, visible_patient_ids: Select | None) -> Select:
    statement = among_patients(select(CareTeam), CareTeam.patient_id, visible_patient_ids)
    statement = where_equal(statement, CareTeam, vars(criteria), ("patient_id", "status"))
    if criteria.member:
        statement = statement.where(CareTeam.id.in_(teams_with_member(criteria.member, clock.now())))
    return statement.order_by(CareTeam.created_at, CareTeam.id)


def _save(session: Session, team: CareTeam) -> None:
    touch(team, clock.now())
    session.flush()
    _changed(session, team)


def _changed(session: Session, team: CareTeam) -> None:
    access.store_care_team(session, care_team_id=team.id, patient_id=team.patient_id, status=team.status,
                           lead_coordinator_id=team.lead_coordinator_id, revision=team.version,
                           members_list=publishing.care_team_members(team))
    publishing.care_team_changed(session, team)


def _ensure_open(team: CareTeam) -> None:
    if team.status == "inactive":
        raise ConflictError("This care team is inactive; its membership is closed. Form a new team instead.")


def _add_membership(session: Session, team: CareTeam, data: dict, now: datetime, *,
                    error_path: tuple) -> CareTeamMembership:
    practitioner = _practitioner(session, data["practitioner_id"], error_path + ("practitioner_id",))
    period = _period(data.get("period_start") or now, data.get("period_end"), error_path)
    _ensure_no_overlap(team, practitioner.id, period, excluding=None)
    member = CareTeamMembership(id=uuid.uuid4(), practitioner_id=practitioner.id,
                                role=data.get("role") or practitioner.role, period_start=period.start,
                                period_end=period.end, created_at=now, updated_at=now)
    team.memberships.append(member)
    return member


def _period(start: datetime, end: datetime | None, error_path: tuple) -> Period:
    try:
        return Period(start, end)
    except ValueError as error:
        raise RuleViolation(str(error), errors=_at(error_path + ("period_end",), str(error))) from None


def _ensure_no_overlap(team: CareTeam, practitioner_id: uuid.UUID, period: Period, *,
                       excluding: uuid.UUID | None) -> None:
    for other in team.memberships:
        if other.id == excluding or other.practitioner_id != practitioner_id:
            continue
        if period.overlaps(Period(other.period_start, other.period_end)):
            raise ConflictError("This practitioner is already on the team for part of this period; "
                                "change that membership instead.", membership_id=str(other.id))


def _practitioner(session: Session, practitioner_id: uuid.UUID, error_path: tuple) -> Practitioner:
    practitioner = session.get(Practitioner, practitioner_id)
    problem = ("No practitioner with this id." if practitioner is None
               else "This practitioner is inactive." if not practitioner.active else None)
    if problem:
        raise RuleViolation(problem, errors=_at(error_path, problem))
    return practitioner


def _check_lead(session: Session, practitioner_id: uuid.UUID) -> None:
    lead = _practitioner(session, practitioner_id, ("lead_coordinator_id",))
    if lead.role != "coordinator":
        raise RuleViolation("The lead of a care team is a coordinator.",
                            errors={"lead_coordinator_id": ["This practitioner is not a coordinator."]})


def _at(path: tuple, message: str) -> dict:
    """Errors nested the way the request body is ({"members": {0: {...}}})."""
    errors: dict | list = [message]
    for key in reversed(path):
        errors = {key: errors}
    return errors
