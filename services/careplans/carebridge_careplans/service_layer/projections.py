"""Local copies of the patients service's facts this service relies on,
each applied only if newer than what is held (events may arrive out of
order)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..persistence.models import AllergyProjection, MentorshipProjection, PatientProjection

ALLERGY_FIELDS = ("patient_id", "substance_system", "substance_code", "category", "criticality", "clinical_status",
                  "verification_status")
PATIENT_FIELDS = ("status", "time_zone", "preferred_language")


def _keep_if_newer(session: Session, model, key, data: dict, fields: tuple[str, ...]) -> bool:
    held = session.get(model, key, with_for_update=True)
    if held is not None and data["revision"] <= held.revision:
        return False
    if held is None:
        held = model(**{model.__mapper__.primary_key[0].key: key})
        session.add(held)
    held.revision = data["revision"]
    for name in fields:
        setattr(held, name, data[name])
    return True


def apply_allergy(session: Session, data: dict) -> AllergyProjection | None:
    """The allergy as now held, or None when the event was stale."""
    if not _keep_if_newer(session, AllergyProjection, data["allergy_id"], data, ALLERGY_FIELDS):
        return None
    return session.get(AllergyProjection, data["allergy_id"])


def apply_patient(session: Session, data: dict) -> bool:
    return _keep_if_newer(session, PatientProjection, data["patient_id"], data, PATIENT_FIELDS)


def apply_training(session: Session, data: dict) -> bool:
    """Who mentors the practitioner, and whether they are in training now."""
    held = {"mentor_id": data["mentor_id"], "in_training": data["in_training"], "revision": data["revision"]}
    return _keep_if_newer(session, MentorshipProjection, data["practitioner_id"], held,
                          ("mentor_id", "in_training"))


def mentors(session: Session, mentor_id, trainee_id) -> bool:
    """Whether `mentor_id` mentors `trainee_id`, in training now."""
    held = session.get(MentorshipProjection, trainee_id)
    return held is not None and held.in_training and held.mentor_id == mentor_id
