"""Reading and replacing one person's preferences.

Staff own all of theirs here, SMS consent included (recorded with who and
when). Patients and relatives record quiet hours, preferred channel and SMS
consent in the patients service; here they may choose channels per
category, override quiet hours and opt out. SMS is only chosen with
recorded consent.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.db import get_or_404
from carebridge.errors import RuleViolation

from ..domain.channel_choice import Reachability
from ..domain.vocabulary import (CATEGORIES, FAMILY_CONSENT_CATEGORIES, PATIENT, PRACTITIONER, RELATED_PERSON,
                                 ROUTINE, SMS, URGENT)
from ..persistence.preferences import Preference
from ..persistence.recipients import PatientRecipient, PractitionerRecipient, RelatedPersonRecipient
from .reachability import patient_reachability, practitioner_reachability, related_person_reachability

# What each kind of person may hear about.
CATEGORIES_FOR = {PRACTITIONER: CATEGORIES, PATIENT: FAMILY_CONSENT_CATEGORIES,
                  RELATED_PERSON: FAMILY_CONSENT_CATEGORIES}
_MODELS = {PRACTITIONER: PractitionerRecipient, PATIENT: PatientRecipient, RELATED_PERSON: RelatedPersonRecipient}


@dataclass
class PreferencesView:
    recipient_type: str
    recipient_id: uuid.UUID
    patient_id: uuid.UUID | None
    stored: Preference | None
    person: Reachability

    @property
    def version(self) -> int:
        return self.stored.version if self.stored else 0

    def effective_channels(self) -> dict[str, dict[str, list[str]]]:
        """Per category and urgency, the channels a notification would use now."""
        result = {}
        for category in CATEGORIES_FOR[self.recipient_type]:
            result[category] = {urgency: ["inapp"] + [c for c in self.person.wanted_channels(category, urgency)
                                                      if self.person.address_for(c)]
                                for urgency in (ROUTINE, URGENT)}
        return result


def find_person(session: Session, recipient_type: str, recipient_id: uuid.UUID):
    return get_or_404(session, _MODELS[recipient_type], recipient_id, "person known to the notifications service")


def load(session: Session, recipient_type: str, recipient_id: uuid.UUID) -> PreferencesView:
    row = find_person(session, recipient_type, recipient_id)
    stored = session.get(Preference, (recipient_type, recipient_id))
    if recipient_type == PRACTITIONER:
        person, patient_id = practitioner_reachability(recipient_id, row, stored), None
    elif recipient_type == PATIENT:
        person, patient_id = patient_reachability(recipient_id, row, stored), recipient_id
    else:
        patient = session.get(PatientRecipient, row.patient_id)
        person, patient_id = related_person_reachability(row, patient, stored), row.patient_id
    # Someone who has left or died still has preferences on record.
    person = person or Reachability(recipient_type, recipient_id)
    return PreferencesView(recipient_type, recipient_id, patient_id, stored, person)


def _check(view: PreferencesView, changes: dict) -> None:
    errors = {}
    allowed = CATEGORIES_FOR[view.recipient_type]
    for category in changes.get("channels", {}):
        if category not in allowed:
            errors[f"channels.{category}"] = [f"not a category for this person; choose from {', '.join(allowed)}"]
    quiet = changes.get("quiet_hours")
    if quiet and quiet["start"] == quiet["end"]:
        errors["quiet_hours"] = ["start and end must differ"]
    wants_sms = any(SMS in channels for channels in changes.get("channels", {}).values())
    if view.recipient_type == PRACTITIONER:
        consent = changes.get("sms_consent", False)
    else:
        consent = view.person.sms_consent
    if wants_sms and not consent:
        errors["channels"] = ["SMS needs recorded consent" + (
            "" if view.recipient_type == PRACTITIONER else " (recorded in the patients service)")]
    if view.recipient_type == PRACTITIONER and changes.get("message_detail") is not None:
        errors["message_detail"] = ["only patients and family choose it: staff messages never carry detail"]
    if errors:
        raise RuleViolation("Some preferences cannot be accepted; see errors.", errors=errors)


def replace(session: Session, view: PreferencesView, changes: dict, *, by: str) -> PreferencesView:
    """Replace the stored preferences with `changes` (a full document)."""
    _check(view, changes)
    now = clock.now()
    stored = view.stored
    if stored is None:
        stored = Preference(recipient_type=view.recipient_type, recipient_id=view.recipient_id, sms_consent=False)
        session.add(stored)
    quiet = changes.get("quiet_hours")
    stored.opted_out = changes.get("opted_out", False)
    stored.quiet_hours_start = quiet["start"] if quiet else None
    stored.quiet_hours_end = quiet["end"] if quiet else None
    stored.channels = {category: list(dict.fromkeys(channels))
                       for category, channels in changes.get("channels", {}).items()}
    if view.recipient_type == PRACTITIONER and bool(changes.get("sms_consent", False)) != stored.sms_consent:
        stored.sms_consent = bool(changes.get("sms_consent", False))
        stored.sms_consent_recorded_at, stored.sms_consent_recorded_by = now, by
    stored.message_detail = changes.get("message_detail")
    stored.updated_at, stored.updated_by = now, by
    session.flush()
    return load(session, view.recipient_type, view.recipient_id)
