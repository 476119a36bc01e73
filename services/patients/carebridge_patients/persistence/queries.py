"""SELECT statements the use cases share (ordered, ready for paging)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, and_, false, or_, select

from .models import CareTeam, CareTeamMembership


def covering(at: datetime):
    """Memberships whose period covers `at` (the end is exclusive)."""
    return and_(CareTeamMembership.period_start <= at,
                or_(CareTeamMembership.period_end.is_(None), CareTeamMembership.period_end > at))


def patients_cared_for_by(practitioner_id: uuid.UUID, at: datetime) -> Select:
    """Ids of the patients on whose active care team the practitioner is at `at`."""
    return (select(CareTeam.patient_id)
            .join(CareTeamMembership, CareTeamMembership.care_team_id == CareTeam.id)
            .where(CareTeamMembership.practitioner_id == practitioner_id, CareTeam.status == "active", covering(at)))


def teams_with_member(practitioner_id: uuid.UUID, at: datetime) -> Select:
    """Ids of the teams the practitioner is a member of at `at`, whatever the team's status."""
    return (select(CareTeamMembership.care_team_id)
            .where(CareTeamMembership.practitioner_id == practitioner_id, covering(at)))


def name_matches(column, terms: list[str]):
    """Every search term appears in the folded name column. A query with no
    letters or digits in it matches nobody rather than everybody."""
    if not terms:
        return false()
    return and_(*(column.contains(term, autoescape=True) for term in terms))
