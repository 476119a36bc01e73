"""Keeping task owners in step with the care team: when the team changes,
open tasks whose owner is no longer on it go to the team's lead coordinator
(or back to the unassigned queue), and unassigned tasks get an owner as soon
as the team has a coordinator."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from ..domain.task_owners import may_own, responsible_coordinator
from ..persistence.queries import care_teams, open_tasks_of
from .actors import SYSTEM
from .tasks import assign_task


def realign_task_owners(session: Session, patient_id: uuid.UUID) -> int:
    teams = care_teams(session, patient_id)
    moved = 0
    for task in open_tasks_of(session, patient_id):
        if task.owner_id is not None and may_own(teams, task.owner_id):
            continue
        owner, team = responsible_coordinator(teams, task.care_team_id)
        if owner == task.owner_id:
            continue
        reason = ("The previous owner is no longer on the patient's care team." if task.owner_id
                  else "The patient's care team now has a coordinator.")
        task.care_team_id = task.care_team_id or team
        assign_task(session, task, owner, reason, SYSTEM)
        moved += 1
    return moved
