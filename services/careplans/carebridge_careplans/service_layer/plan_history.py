"""Reading a plan's history: its versions and the difference between two."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge.errors import NotFoundError

from ..domain.plan_documents import diff
from ..persistence.models import CarePlanVersion, MedicationAlert


def versions_query(plan_id: uuid.UUID):
    return select(CarePlanVersion).where(CarePlanVersion.plan_id == plan_id).order_by(CarePlanVersion.version.desc())


def load_version(session: Session, plan_id: uuid.UUID, version: int) -> CarePlanVersion:
    found = session.get(CarePlanVersion, (plan_id, version))
    if found is None:
        raise NotFoundError(f"The plan has no version {version}.")
    return found


def alerts_of(session: Session, plan_id: uuid.UUID, version: int) -> list[MedicationAlert]:
    return list(session.scalars(select(MedicationAlert).where(
        MedicationAlert.plan_id == plan_id, MedicationAlert.plan_version == version)
        .order_by(MedicationAlert.detected_at, MedicationAlert.id)))


def compare(session: Session, plan_id: uuid.UUID, from_version: int, to_version: int) -> dict:
    """What changed from one version to another (either order)."""
    before = load_version(session, plan_id, from_version).document
    after = load_version(session, plan_id, to_version).document
    return {"plan_id": plan_id, "from_version": from_version, "to_version": to_version, **diff(before, after)}
