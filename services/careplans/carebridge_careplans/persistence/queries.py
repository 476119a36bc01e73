"""Reads the service layer shares."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import access, clock

from ..domain.lifecycles import OPEN_ACTIVITY_STATUSES, OPEN_TASK_STATUSES, PLANS_IN_FORCE
from ..domain.task_owners import Member, Team
from .models import AllergyProjection, CarePlan, PatientProjection, PlanActivity, Task


def medications_in_force(session: Session, patient_id: uuid.UUID) -> list[PlanActivity]:
    """Medication activities the patient takes or is about to take, in every
    plan of theirs that is a draft, active or on hold."""
    return list(session.scalars(
        select(PlanActivity).join(CarePlan, CarePlan.id == PlanActivity.plan_id)
        .where(PlanActivity.patient_id == patient_id, PlanActivity.kind == "medication",
               PlanActivity.status.in_(OPEN_ACTIVITY_STATUSES), CarePlan.status.in_(PLANS_IN_FORCE))
        .order_by(PlanActivity.plan_id, PlanActivity.position)))


def lock_plans_in_force(session: Session, patient_id: uuid.UUID) -> None:
    """Take the row locks of the patient's plans in force, in one order, so
    that two medication changes for one patient are checked one after the
    other and neither misses the other's drug (SQLite serialises writers
    anyway)."""
    session.execute(select(CarePlan.id).where(CarePlan.patient_id == patient_id,
                                              CarePlan.status.in_(PLANS_IN_FORCE))
                    .order_by(CarePlan.id).with_for_update()).all()


def allergies_of(session: Session, patient_id: uuid.UUID) -> list[AllergyProjection]:
    return list(session.scalars(select(AllergyProjection).where(AllergyProjection.patient_id == patient_id)))


def open_visit_activities(session: Session, patient_id: uuid.UUID, appointment_type_code: str) -> list[PlanActivity]:
    """Open follow-up and therapy activities of the patient's active plans
    that book this appointment type, oldest plan first."""
    candidates = session.scalars(
        select(PlanActivity).join(CarePlan, CarePlan.id == PlanActivity.plan_id)
        .where(PlanActivity.patient_id == patient_id, PlanActivity.kind.in_(("follow-up", "therapy")),
               PlanActivity.status.in_(OPEN_ACTIVITY_STATUSES), CarePlan.status == "active")
        .order_by(CarePlan.created_at, PlanActivity.position))
    return [a for a in candidates if a.detail.get("appointment_type_code") == appointment_type_code]


def care_teams(session: Session, patient_id: uuid.UUID) -> list[Team]:
    """The patient's care teams from the access projection, with their
    currently active members."""
    now = clock.now()
    teams = []
    for team in access.care_teams_of(session, patient_id):
        members = tuple(Member(m["practitioner_id"], m["role"], m["period_start"])
                        for m in access.active_members(session, team["care_team_id"], now))
        teams.append(Team(team["care_team_id"], team["status"] == "active", team["lead_coordinator_id"], members))
    return teams


def patient_is_known(session: Session, patient_id: uuid.UUID) -> bool:
    """Known from the patients service's events (registration or a care
    team) or from a plan of ours."""
    return bool(session.get(PatientProjection, patient_id)
                or access.care_teams_of(session, patient_id)
                or session.scalar(select(CarePlan.id).where(CarePlan.patient_id == patient_id).limit(1)))


def open_tasks_of(session: Session, patient_id: uuid.UUID) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.patient_id == patient_id,
                                                   Task.status.in_(OPEN_TASK_STATUSES)).order_by(Task.created_at)))
