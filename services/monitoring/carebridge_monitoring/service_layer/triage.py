"""Telephone triage calls: the protocol decides the disposition, the call is
kept in the patient's history, and the other services hear of it."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.db import get_or_404
from carebridge.errors import RuleViolation

from ..domain.triage import protocols
from ..persistence.models import TriageCall
from .actors import Actor


def record_call(session: Session, data: dict, actor: Actor) -> TriageCall:
    protocol = protocols()[data["protocol_code"]]
    answers = data["answers"]
    unknown = sorted(set(answers) - set(protocol.question_codes))
    missing = [code for code in protocol.question_codes if code not in answers]
    if unknown or missing:
        raise RuleViolation("Answer every question of the protocol, and only those.", errors={"answers": [
            *(f"{code}: not a question of {protocol.code}" for code in unknown),
            *(f"{code}: not answered" for code in missing)]})
    if data["called_at"] > clock.now():
        raise RuleViolation("The call cannot be in the future.", errors={"called_at": ["in the future"]})
    disposition = protocol.decide(answers)
    call = TriageCall(id=uuid.uuid4(), patient_id=data["patient_id"], caller_type=data["caller_type"],
                      caller_name=data.get("caller_name"), protocol_code=protocol.code, answers=answers,
                      note=data.get("note"), disposition=disposition.code, book_within_days=disposition.days,
                      advice=disposition.advice, called_at=data["called_at"], recorded_by=actor.subject,
                      nurse_id=actor.practitioner_id, recorded_at=clock.now())
    session.add(call)
    session.flush()
    outbox.record(session, "monitoring.triage-recorded", {
        "triage_call_id": call.id, "patient_id": call.patient_id, "protocol_code": call.protocol_code,
        "disposition": call.disposition, "book_within_days": call.book_within_days, "nurse_id": call.nurse_id,
        "called_at": call.called_at})
    return call


def load_call(session: Session, call_id: uuid.UUID) -> TriageCall:
    return get_or_404(session, TriageCall, call_id, "triage call")
