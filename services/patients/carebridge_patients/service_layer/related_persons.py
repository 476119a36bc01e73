"""Family members and caregivers, and their consent to be told things."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import where_equal

from ..domain.changes import changed_values
from ..domain.consent import Consent, granted, withdrawn
from ..domain.contact import check_channel_reachable
from ..persistence.models import Patient, RelatedPerson
from . import publishing
from .records import apply, child_or_404

log = logging.getLogger(__name__)


def get(session: Session, patient_id: uuid.UUID, person_id: uuid.UUID, *, for_update: bool = False) -> RelatedPerson:
    """`for_update` before a change: a withdrawal, which needs no If-Match,
    then waits for a concurrent change instead of failing as stale."""
    return child_or_404(session, RelatedPerson, person_id, "related person", patient_id, for_update=for_update)


def of_patient(patient_id: uuid.UUID, filters: dict) -> Select:
    """The patient's related persons, narrowed by `active` if given."""
    statement = where_equal(select(RelatedPerson).where(RelatedPerson.patient_id == patient_id), RelatedPerson,
                            filters, ("active",))
    return statement.order_by(RelatedPerson.family_name, RelatedPerson.given_name, RelatedPerson.id)


def add(session: Session, patient: Patient, data: dict, *, recorded_by: uuid.UUID | None) -> RelatedPerson:
    """A consent given with the person is recorded as given by the caller, now;
    without one, nothing may be shared with them."""
    data = dict(data)
    scopes = data.pop("consent", None)
    check_channel_reachable(data["communication"], data["contact_points"])
    now = clock.now()
    person = RelatedPerson(id=uuid.uuid4(), patient_id=patient.id, active=True, created_at=now, updated_at=now, **data)
    person.consent = granted(scopes, by=recorded_by, at=now) if scopes is not None else Consent()
    session.add(person)
    session.flush()
    publishing.related_person_changed(session, person)
    log.info("related person added", extra={"patient_id": str(patient.id), "resource_id": str(person.id)})
    return person


def update(session: Session, person: RelatedPerson, requested: dict) -> list[str]:
    changes = changed_values({name: getattr(person, name) for name in requested}, requested)
    if not changes:
        return []
    check_channel_reachable(changes.get("communication", person.communication),
                            changes.get("contact_points", person.contact_points))
    apply(person, changes)
    _save(session, person)
    return sorted(changes)


def record_consent(session: Session, person: RelatedPerson, scopes: dict, *, recorded_by: uuid.UUID | None) -> None:
    """Each decision is recorded anew (who and when), even one that repeats
    the last: confirming a consent is itself worth recording."""
    person.consent = granted(scopes, by=recorded_by, at=clock.now())
    _save(session, person)


def withdraw_consent(session: Session, person: RelatedPerson, *, withdrawn_by: uuid.UUID | None) -> bool:
    """From now on nothing is shared with this person, until a new consent
    is recorded. Returns False when it was already withdrawn."""
    current = person.consent
    updated = withdrawn(current, by=withdrawn_by, at=clock.now())
    if updated == current:
        return False
    person.consent = updated
    _save(session, person)
    return True


def _save(session: Session, person: RelatedPerson) -> None:
    person.updated_at = clock.now()
    session.flush()
    publishing.related_person_changed(session, person)
    log.info("related person changed", extra={"patient_id": str(person.patient_id), "resource_id": str(person.id)})
