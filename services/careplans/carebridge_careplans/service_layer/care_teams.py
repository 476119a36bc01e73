"""Which care team something belongs to."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge.db.kit_tables import access_care_teams
from carebridge.errors import RuleViolation

from ..domain.task_owners import responsible_coordinator
from ..persistence.queries import care_teams


def care_team_for(session: Session, patient_id: uuid.UUID, requested: uuid.UUID | None) -> uuid.UUID | None:
    """The team asked for (one of this patient's, known here from
    `patients.care-team-changed`), else the patient's active team, if any."""
    if requested is None:
        return responsible_coordinator(care_teams(session, patient_id))[1]
    owner = session.execute(select(access_care_teams.c.patient_id)
                            .where(access_care_teams.c.care_team_id == requested)).scalar()
    if owner is None:
        raise RuleViolation("That care team is not known to care plans (if it was set up a moment ago, "
                            "try again shortly).", errors={"care_team_id": ["unknown care team"]})
    if owner != patient_id:
        raise RuleViolation("That care team looks after another patient.",
                            errors={"care_team_id": ["not a care team of this patient"]})
    return requested
