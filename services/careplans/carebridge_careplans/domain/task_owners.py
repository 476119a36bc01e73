"""Who owns a task that nobody assigned by hand.

A task "for the team's lead coordinator" goes to the lead coordinator of the
patient's active care team (the plan's own team first); failing that, to the
coordinator who has been on that team longest; failing that, it stays in the
unassigned queue (owner None), which every coordinator's worklist shows
(`?unassigned=true`) and which is assigned as soon as the team gets a
coordinator. Nothing is ever assigned to someone outside the care team.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Member:
    practitioner_id: uuid.UUID
    role: str
    period_start: datetime


@dataclass(frozen=True)
class Team:
    care_team_id: uuid.UUID
    active: bool
    lead_coordinator_id: uuid.UUID | None
    members: tuple[Member, ...] = field(default_factory=tuple)   # active memberships only


def _ordered(teams: list[Team], preferred: uuid.UUID | None) -> list[Team]:
    active = [t for t in teams if t.active]
    return sorted(active, key=lambda t: (t.care_team_id != preferred, t.lead_coordinator_id is None,
                                         str(t.care_team_id)))


def responsible_coordinator(teams: list[Team], preferred_team: uuid.UUID | None = None
                            ) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """(owner, care team) for a task about the patient of these teams."""
    ordered = _ordered(teams, preferred_team)
    for team in ordered:
        if team.lead_coordinator_id:
            return team.lead_coordinator_id, team.care_team_id
    for team in ordered:
        coordinators = sorted((m for m in team.members if m.role == "coordinator"),
                              key=lambda m: (m.period_start, str(m.practitioner_id)))
        if coordinators:
            return coordinators[0].practitioner_id, team.care_team_id
    return None, (ordered[0].care_team_id if ordered else preferred_team)


def may_own(teams: list[Team], practitioner_id: uuid.UUID) -> bool:
    """Whether a practitioner may own tasks about the patient: an active
    member, or the lead coordinator, of one of the patient's active teams."""
    return any(team.active and (team.lead_coordinator_id == practitioner_id
                                or any(m.practitioner_id == practitioner_id for m in team.members))
               for team in teams)


def team_nurse(teams: list[Team], preferred_team: uuid.UUID | None = None
               ) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """(owner, care team) for a clinical task for the team's nurse: the
    nurse longest on the patient's team (the plan's own first); without a
    nurse, the lead coordinator, who finds one."""
    for team in _ordered(teams, preferred_team):
        nurses = sorted((m for m in team.members if m.role == "nurse"),
                        key=lambda m: (m.period_start, str(m.practitioner_id)))
        if nurses:
            return nurses[0].practitioner_id, team.care_team_id
    return responsible_coordinator(teams, preferred_team)
