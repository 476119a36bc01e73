"""Allergies and intolerances, which care plans check medications against."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import where_equal
from carebridge.errors import ConflictError

from ..domain.allergies import DISCARDED_VERIFICATION, is_discarded
from ..domain.changes import changed_values
from ..persistence.models import Allergy, Patient
from . import publishing
from .records import apply, child_or_404

log = logging.getLogger(__name__)


def get(session: Session, patient_id: uuid.UUID, allergy_id: uuid.UUID) -> Allergy:
    return child_or_404(session, Allergy, allergy_id, "allergy", patient_id)


def of_patient(patient_id: uuid.UUID, filters: dict) -> Select:
    """The patient's allergies, narrowed by `clinical_status` if given."""
    statement = where_equal(select(Allergy).where(Allergy.patient_id == patient_id), Allergy, filters,
                            ("clinical_status",))
    return statement.order_by(Allergy.recorded_at, Allergy.id)


def record(session: Session, patient: Patient, data: dict, *, recorded_by: uuid.UUID | None) -> Allergy:
    if not is_discarded(data["verification_status"]):
        _ensure_only_record(session, patient.id, data["substance_system"], data["substance_code"], excluding=None)
    now = clock.now()
    allergy = Allergy(id=uuid.uuid4(), patient_id=patient.id, recorded_by=recorded_by, recorded_at=now,
                      updated_at=now, **data)
    session.add(allergy)
    session.flush()
    publishing.allergy_changed(session, allergy)
    log.info("allergy recorded", extra={"patient_id": str(patient.id), "resource_id": str(allergy.id)})
    return allergy


def update(session: Session, allergy: Allergy, requested: dict) -> list[str]:
    changes = changed_values({name: getattr(allergy, name) for name in requested}, requested)
    if not changes:
        return []
    if is_discarded(allergy.verification_status) and not is_discarded(changes.get("verification_status",
                                                                                  allergy.verification_status)):
        _ensure_only_record(session, allergy.patient_id, allergy.substance_system, allergy.substance_code,
                            excluding=allergy.id)
    apply(allergy, changes)
    allergy.updated_at = clock.now()
    session.flush()
    publishing.allergy_changed(session, allergy)
    log.info("allergy changed", extra={"patient_id": str(allergy.patient_id), "resource_id": str(allergy.id)})
    return sorted(changes)


def _ensure_only_record(session: Session, patient_id: uuid.UUID, system: str, code: str, *,
                        excluding: uuid.UUID | None) -> None:
    """One record per substance: a second would split the history of the same
    allergy. Refuted and entered-in-error records do not count."""
    statement = select(Allergy.id).where(
        Allergy.patient_id == patient_id, Allergy.substance_system == system, Allergy.substance_code == code,
        Allergy.verification_status.not_in(DISCARDED_VERIFICATION))
    if excluding is not None:
        statement = statement.where(Allergy.id != excluding)
    duplicate = session.scalar(statement.limit(1))
    if duplicate is not None:
        raise ConflictError("This patient already has a record of this substance; update that one.",
                            allergy_id=str(duplicate))
