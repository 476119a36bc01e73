"""Registering, changing, deactivating and finding patients."""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import among_patients, exists_or_404, get_or_404, where_equal
from carebridge.errors import ConflictError, RuleViolation

from ..domain.changes import changed_values
from ..domain.contact import check_channel_reachable
from ..domain.dates import check_time_of_death
from ..domain.lifecycles import PATIENT_TRANSITIONS, check_transition
from ..domain.search import search_key, search_terms
from ..persistence.models import Patient
from ..persistence.queries import name_matches, patients_cared_for_by
from . import publishing
from .records import apply

log = logging.getLogger(__name__)

_NAME_FIELDS = ("given_name", "middle_name", "family_name", "preferred_name")


def get(session: Session, patient_id: uuid.UUID) -> Patient:
    return get_or_404(session, Patient, patient_id, "patient")


def ensure_exists(session: Session, patient_id: uuid.UUID) -> None:
    """404 as `get` does, for the lists under a patient: they need the
    patient to be there, not the record."""
    exists_or_404(session, Patient, patient_id, "patient")


def register(session: Session, data: dict) -> Patient:
    _ensure_mrn_free(session, data["mrn"])
    check_channel_reachable(data["communication"], data["contact_points"])
    now = clock.now()
    patient = Patient(id=uuid.uuid4(), status="active", deceased_at=None, created_at=now, updated_at=now, **data)
    patient.search_name = _search_name(patient)
    session.add(patient)
    session.flush()
    publishing.patient_registered(session, patient)
    log.info("patient registered", extra={"patient_id": str(patient.id)})
    return patient


def update(session: Session, patient: Patient, requested: dict) -> list[str]:
    """Apply the fields that differ; returns the names of those that changed."""
    changes = changed_values({name: getattr(patient, name) for name in requested}, requested)
    if not changes:
        return []
    if "mrn" in changes:
        _ensure_mrn_free(session, changes["mrn"])
    check_channel_reachable(changes.get("communication", patient.communication),
                            changes.get("contact_points", patient.contact_points))
    if "birth_date" in changes and patient.deceased_at is not None:
        _check_death(patient.deceased_at, changes["birth_date"], field="birth_date")
    apply(patient, changes)
    if any(name in changes for name in _NAME_FIELDS):
        patient.search_name = _search_name(patient)
    patient.updated_at = clock.now()
    session.flush()
    changed = sorted(changes)
    publishing.patient_updated(session, patient, changed)
    log.info("patient updated", extra={"patient_id": str(patient.id), "count": len(changed)})
    return changed


def change_status(session: Session, patient: Patient, status: str, deceased_at: datetime | None) -> list[str]:
    """Deactivate, reactivate, or record a death. Scheduling cancels future
    appointments when it sees the status leave `active`."""
    check_transition(PATIENT_TRANSITIONS, patient.status, status)
    if deceased_at is not None:
        if status != "deceased":
            raise RuleViolation("A time of death goes only with status deceased.",
                                errors={"deceased_at": ["Only for status deceased."]})
        _check_death(deceased_at, patient.birth_date, field="deceased_at")
    changes = changed_values({"status": patient.status, "deceased_at": patient.deceased_at},
                             {"status": status, "deceased_at": deceased_at})
    if not changes:
        return []
    apply(patient, changes)
    patient.updated_at = clock.now()
    session.flush()
    changed = sorted(changes)
    publishing.patient_updated(session, patient, changed)
    log.info("patient status changed", extra={"patient_id": str(patient.id), "status": status})
    return changed


@dataclass(frozen=True)
class PatientSearch:
    name: str | None = None
    birth_date: date | None = None
    mrn: str | None = None
    care_team_member: uuid.UUID | None = None
    status: str | None = None


def search(criteria: PatientSearch, visible_patient_ids: Select | None) -> Select:
    """Patients matching every given criterion, among those the caller may see
    (`visible_patient_ids` None: all), in name order."""
    statement = among_patients(select(Patient), Patient.id, visible_patient_ids)
    statement = where_equal(statement, Patient, vars(criteria), ("birth_date", "mrn", "status"))
    if criteria.name:
        statement = statement.where(name_matches(Patient.search_name, search_terms(criteria.name)))
    if criteria.care_team_member:
        statement = statement.where(Patient.id.in_(patients_cared_for_by(criteria.care_team_member, clock.now())))
    return statement.order_by(Patient.family_name, Patient.given_name, Patient.id)


def _search_name(patient: Patient) -> str:
    return search_key(*(getattr(patient, name) for name in _NAME_FIELDS))


def _ensure_mrn_free(session: Session, mrn: str) -> None:
    if session.scalar(select(Patient.id).where(Patient.mrn == mrn)) is not None:
        raise ConflictError("Another patient already has this medical record number.",
                            errors={"mrn": ["Already in use."]})


def _check_death(deceased_at: datetime, birth_date: date, *, field: str) -> None:
    try:
        check_time_of_death(deceased_at, birth_date, clock.now())
    except ValueError as error:
        raise RuleViolation(str(error), errors={field: [str(error)]}) from None
