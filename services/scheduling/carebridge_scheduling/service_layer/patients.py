"""The patients scheduling may book for: a local projection of the patients
service's records, filled from its events and, for a patient registered a
moment ago whose event has not arrived yet, from its API."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.errors import DependencyUnavailable, RuleViolation
from carebridge.events.catalogue.patients import PATIENT_STATUSES
from carebridge.service import Runtime

from ..persistence.inserts import insert_if_absent
from ..persistence.models import KnownPatient

log = logging.getLogger(__name__)

ACTIVE = "active"


NURSING_HOME = "nursing-home"


def record_patient(session: Session, *, patient_id: uuid.UUID, status: str, time_zone: str,
                   revision: int, clinical_setting: str | None = None,
                   facility_location_id: uuid.UUID | None = None) -> tuple[bool, str | None]:
    """Apply what a patients.* event says; returns (applied, status held
    before). An event older than what is held is not applied."""
    held = session.get(KnownPatient, patient_id, with_for_update=True)
    if held is not None and held.revision >= revision:
        return False, held.status
    previous = held.status if held is not None else None
    if held is None:
        session.add(KnownPatient(patient_id=patient_id, status=status, time_zone=time_zone, revision=revision,
                                 clinical_setting=clinical_setting, facility_location_id=facility_location_id,
                                 updated_at=clock.now()))
    else:
        held.status, held.time_zone, held.revision, held.updated_at = status, time_zone, revision, clock.now()
        held.clinical_setting, held.facility_location_id = clinical_setting, facility_location_id
    session.flush()
    return True, previous


def is_active(session: Session, patient_id: uuid.UUID) -> bool:
    known = session.get(KnownPatient, patient_id)
    return known is not None and known.status == ACTIVE


def ensure_bookable(session: Session, patient_id: uuid.UUID) -> KnownPatient:
    """The patient, if known and active; else 422. Asks the patients
    service about a patient not known here yet (503 if it cannot answer)."""
    patient = session.get(KnownPatient, patient_id) or _fetch(session, patient_id)
    if patient.status != ACTIVE:
        raise RuleViolation("The patient is not active, so no appointment can be booked.",
                            errors={"patient_id": ["patient is not active"]})
    return patient


def default_location(patient: KnownPatient) -> uuid.UUID | None:
    """Where a visit booked without a location takes place: the facility of
    a patient who lives in a nursing home (issue 25, item 14), else anywhere
    the practitioner's schedule offers the type."""
    if patient.clinical_setting == NURSING_HOME:
        return patient.facility_location_id
    return None


def _fetch(session: Session, patient_id: uuid.UUID) -> KnownPatient:
    response = Runtime.of(session).client("patients").get(f"/patients/{patient_id}")
    if response.status_code == 404:
        raise RuleViolation("No patient with this id is known.", errors={"patient_id": ["unknown patient"]})
    if response.status_code != 200:
        log.warning("the patients service did not confirm a patient", extra={"status": response.status_code})
        raise DependencyUnavailable("The patients service could not confirm the patient; try again shortly.")
    try:
        body = response.json()
        status, time_zone = body["status"], body.get("time_zone") or "UTC"
        setting, facility = body.get("clinical_setting"), body.get("facility_location_id")
        facility = uuid.UUID(facility) if facility else None
    except (ValueError, KeyError, TypeError):
        raise DependencyUnavailable("The patients service answered in an unexpected form.") from None
    if status not in PATIENT_STATUSES:
        raise DependencyUnavailable("The patients service answered in an unexpected form.")
    # Revision 0: the first event about this patient replaces what the API said.
    insert_if_absent(session, KnownPatient.__table__, dict(
        patient_id=patient_id, status=status, time_zone=time_zone, revision=0, clinical_setting=setting,
        facility_location_id=facility, updated_at=clock.now()))
    return session.get(KnownPatient, patient_id, populate_existing=True)
