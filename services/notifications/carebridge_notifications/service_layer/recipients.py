"""Who hears about a patient now, and by which channels: the patient, their
related persons (with what they consent to), and the active care team."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from carebridge import clock

from ..domain.routing import Target
from ..domain.vocabulary import FAMILY_CONSENT_CATEGORIES, PATIENT, PRACTITIONER, PUSH_CHANNELS, RELATED_PERSON
from ..persistence.directory import Directory
from .reachability import reachability_of


def who_hears_about(session: Session, patient_id: uuid.UUID) -> list[dict]:
    directory = Directory(session, patient_id=patient_id, care_team_id=None, at=clock.now())
    leads = set(directory.lead_coordinators())
    roles = {member.practitioner_id: member.role for member in directory.members_then}
    for lead in leads:
        roles.setdefault(lead, "coordinator")
    relatives = {person.related_person_id: person for person in directory.related_persons}
    targets = ([Target(PATIENT, patient_id, "", "")]
               + [Target(RELATED_PERSON, i, "", "") for i in relatives]
               + [Target(PRACTITIONER, i, "", "") for i in roles])
    reach = reachability_of(directory, targets)
    known_staff = directory.practitioners(roles)
    entries = []
    for target in targets:
        person = reach[(target.recipient_type, target.recipient_id)]
        relative = relatives.get(target.recipient_id)
        known = {PATIENT: directory.patient is not None, RELATED_PERSON: True,
                 PRACTITIONER: target.recipient_id in known_staff}[target.recipient_type]
        entries.append({
            "recipient_type": target.recipient_type, "recipient_id": target.recipient_id, "known": known,
            "role": roles.get(target.recipient_id) if target.recipient_type == PRACTITIONER else None,
            "relationship": relative.relationship if relative else None,
            "lead_coordinator": target.recipient_id in leads,
            "consents_to": [c for c in FAMILY_CONSENT_CATEGORIES if relative.consents_to(c)] if relative else [],
            # Nobody is reached when they left, died or opted out.
            "reachable_by": (["inapp"] + [c for c in PUSH_CHANNELS if person.address_for(c)])
            if person and not person.opted_out else [],
            "opted_out": bool(person and person.opted_out),
            "language": person.language if person else None,
            "time_zone": person.time_zone if person else None,
        })
    return entries
