"""Keeping the recipient directory from the patients service's events.

Each record carries the revision it was built from; an event with an older
or equal revision (late, or delivered again) changes nothing, so the
directory ends up the same whatever order the events arrive in.
"""
from __future__ import annotations

import logging
from typing import Any, Mapping

from sqlalchemy.orm import Session

from carebridge import clock

from ..domain.contact_points import email_of, sms_number_of
from ..persistence.recipients import PatientRecipient, PractitionerRecipient, RelatedPersonRecipient, StaffInTraining

log = logging.getLogger(__name__)


def _store(session: Session, model, key: Mapping[str, Any], revision: int, values: dict) -> bool:
    row = session.get(model, tuple(key.values()), with_for_update=True)
    if row is not None and row.revision >= revision:
        log.info("ignoring an out-of-date directory update", extra={"resource_type": model.__tablename__})
        return False
    values = dict(values, revision=revision, updated_at=clock.now())
    if row is None:
        session.add(model(**key, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    return True


def _reach(data: Mapping[str, Any]) -> dict:
    points = data["contact_points"]
    return {"language": data.get("preferred_language") or "en", "time_zone": data.get("time_zone"),
            "email": email_of(points), "sms_number": sms_number_of(points)}


def _communication(data: Mapping[str, Any]) -> dict:
    choices = data["communication"]
    return {"preferred_channel": choices["preferred_channel"], "quiet_hours_start": choices.get("quiet_hours_start"),
            "quiet_hours_end": choices.get("quiet_hours_end"), "sms_consent": choices["sms_consent"]}


def store_patient(session: Session, data: Mapping[str, Any]) -> bool:
    return _store(session, PatientRecipient, {"patient_id": data["patient_id"]}, data["revision"],
                  {**_reach(data), **_communication(data), "status": data["status"], "mrn": data.get("mrn")})


def store_practitioner(session: Session, data: Mapping[str, Any]) -> bool:
    return _store(session, PractitionerRecipient, {"practitioner_id": data["practitioner_id"]}, data["revision"],
                  {**_reach(data), "role": data["role"], "active": data["active"]})


def store_training(session: Session, data: Mapping[str, Any]) -> bool:
    """Whether the practitioner is in training (escalations skip them)."""
    return _store(session, StaffInTraining, {"practitioner_id": data["practitioner_id"]}, data["revision"],
                  {"mentor_id": data["mentor_id"], "in_training": data["in_training"]})


def store_related_person(session: Session, data: Mapping[str, Any]) -> bool:
    consent = data["consent"]
    withdrawn = consent.get("withdrawn_at")
    return _store(session, RelatedPersonRecipient, {"related_person_id": data["related_person_id"]},
                  data["revision"], {
                      **_reach(data), **_communication(data), "patient_id": data["patient_id"],
                      "active": data["active"], "relationship": data["relationship"],
                      # Withdrawn consent is no consent, whatever the flags say.
                      "consent_appointments": consent["appointments"] and not withdrawn,
                      "consent_care_plan": consent["care_plan"] and not withdrawn,
                      "consent_billing": consent["billing"] and not withdrawn,
                      "consent_withdrawn_at": withdrawn})
