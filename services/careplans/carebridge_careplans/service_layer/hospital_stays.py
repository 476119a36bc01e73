"""Hospital stays: recording an admission and a discharge. A discharge, from
staff or (later) an ADT feed, opens the post-discharge work: a check-in with
the patient due within DISCHARGE_CHECK_IN_DUE_HOURS (48) for the team's lead
coordinator, and a medication reconciliation for the team's nurse. Each
opens once per stay."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import ConflictError, RuleViolation
from carebridge.service import Runtime

from ..domain.task_owners import team_nurse
from ..persistence.models import HospitalStay
from ..persistence.queries import care_teams
from .actors import Actor
from .tasks import open_task


def load_stay(session: Session, stay_id: uuid.UUID) -> HospitalStay:
    return get_or_404(session, HospitalStay, stay_id, "hospital stay")


def record_stay(session: Session, data: dict, actor: Actor, *, source: str = "staff") -> HospitalStay:
    now = clock.now()
    if data["admitted_at"] > now:
        raise RuleViolation("An admission cannot be in the future.", errors={"admitted_at": ["in the future"]})
    stay = HospitalStay(id=uuid.uuid4(), patient_id=data["patient_id"], facility=data.get("facility"),
                        admitted_at=data["admitted_at"], source=source, recorded_by=actor.subject,
                        recorded_at=now, updated_at=now)
    session.add(stay)
    session.flush()
    if data.get("discharged_at") is not None:
        record_discharge(session, stay, data["discharged_at"], data.get("discharge_disposition"), actor)
    return stay


def record_discharge(session: Session, stay: HospitalStay, discharged_at: datetime, disposition: str | None,
                     actor: Actor) -> HospitalStay:
    if stay.discharged_at is not None:
        raise ConflictError("The stay already has its discharge.", current_status="discharged")
    if discharged_at < stay.admitted_at or discharged_at > clock.now():
        raise RuleViolation("A discharge falls between the admission and now.",
                            errors={"discharged_at": ["before the admission or in the future"]})
    stay.discharged_at, stay.discharge_disposition, stay.updated_at = discharged_at, disposition, clock.now()
    session.flush()
    _open_post_discharge_work(session, stay, actor)
    return stay


def _open_post_discharge_work(session: Session, stay: HospitalStay, actor: Actor) -> None:
    settings = Runtime.of(session).service_settings
    when = f"{stay.discharged_at:%Y-%m-%d}"
    open_task(session, patient_id=stay.patient_id, code="check-in", priority="urgent",
              reason=f"Check in with the patient after the hospital stay (discharged {when}): symptoms, "
                     f"medicines, follow-up visit.",
              due_at=stay.discharged_at + settings.discharge_check_in_due, actor=actor,
              requester_id=actor.practitioner_id, open_key=f"check-in:hospital-stay:{stay.id}")
    nurse, team = team_nurse(care_teams(session, stay.patient_id))
    open_task(session, patient_id=stay.patient_id, code="medication-review", priority="urgent",
              reason=f"Reconcile the medicines after the hospital stay (discharged {when}): compare the discharge "
                     f"list with the care plan.",
              due_at=stay.discharged_at + settings.medication_reconciliation_due, actor=actor,
              owner_id=nurse, care_team_id=team, requester_id=actor.practitioner_id,
              open_key=f"medication-review:hospital-stay:{stay.id}")
