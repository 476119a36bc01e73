"""Turning the audience names of routing rules into people, for one event."""
from __future__ import annotations

import uuid
from typing import Any, Mapping

from ..domain.routing import Send, Target
from ..domain.vocabulary import PATIENT, PRACTITIONER, RELATED_PERSON
from ..persistence.directory import Directory
from ..persistence.duty_rota import ON_CALL, SUPERVISOR


def _one(value) -> list[uuid.UUID]:
    return [value] if value else []


def practitioners_in(audience: str, directory: Directory, data: Mapping[str, Any],
                     on_call_nurse_id: uuid.UUID | None = None) -> list[uuid.UUID]:
    if audience == "care-team":
        return directory.care_team()
    if audience == "lead-coordinator":
        return directory.lead_coordinators()
    if audience == "team-nurses":
        return directory.team_nurses()
    if audience == "on-call-nurse":
        return _one(on_call_nurse_id) or directory.team_nurses()
    if audience == "care-team-others":
        return directory.team_by_role()
    if audience == "on-call":
        return directory.on_duty(ON_CALL) or _one(on_call_nurse_id)
    if audience == "supervisor":
        return directory.on_duty(SUPERVISOR)
    if audience == "task-owner":
        return _one(data.get("owner_id"))
    if audience == "prescriber":
        # A prescriber id comes from a client: told only while on the care team.
        prescriber = data.get("prescriber_id")
        return [prescriber] if prescriber and prescriber in directory.care_team() else []
    if audience == "billing-staff":
        return directory.billing_staff()
    raise ValueError(f"{audience!r} is not a staff audience")


def targets_of(send: Send, urgency: str, category: str, directory: Directory,
               data: Mapping[str, Any]) -> list[Target]:
    if send.to == "patient":
        return [Target(PATIENT, i, send.template, urgency) for i in _one(data.get("patient_id"))]
    if send.to == "family":
        return [Target(RELATED_PERSON, person.related_person_id, send.template, urgency)
                for person in directory.consenting_family(category)]
    return [Target(PRACTITIONER, i, send.template, urgency) for i in practitioners_in(send.to, directory, data)]
