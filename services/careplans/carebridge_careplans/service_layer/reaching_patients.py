"""What the care team must do when patients or family answer a message, or
cannot be reached at all: a task for the coordinator each time, opened once
however often the same news arrives."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.service import Runtime

from ..persistence.queries import patient_is_known
from .actors import SYSTEM
from .tasks import open_task
from .visits import UnknownPatient

_WHO = {"patient": "The patient", "related-person": "A family member of the patient"}
_FEELS_WORSE = {"patient": "The patient says they feel worse",
                "related-person": "A family member says the patient feels worse"}


def reschedule_requested(session: Session, data: dict):
    """Someone asked, from the secure message page, for another time for a
    visit: a task for the coordinator to call and move it."""
    if data["answer"] != "reschedule":
        return None
    if not patient_is_known(session, data["patient_id"]):
        raise UnknownPatient(str(data["patient_id"]))
    settings = Runtime.of(session).service_settings
    return open_task(
        session, patient_id=data["patient_id"], code="rebook", priority="routine",
        reason=f"{_WHO[data['recipient_type']]} asked for another time for a booked visit: "
               f"call them and move it.",
        due_at=clock.now() + settings.outreach_due, actor=SYSTEM,
        focus_type="appointment", focus_id=data["appointment_id"],
        open_key=f"reschedule:appointment:{data['appointment_id']}")


# notifications' reason for a letter it failed to write (a fault of ours).
_NOT_WRITTEN = "message-not-written"


def unreachable(session: Session, data: dict):
    """A message to the patient or a family member failed for good (a
    bounced address, a refused number, a letter notifications could not
    write): a task to reach them another way, checking the contact details
    unless the letter was the fault. Staff and webhook failures are not about
    reaching the patient."""
    if data["recipient_type"] not in _WHO or data.get("patient_id") is None:
        return None
    patient_id = uuid.UUID(str(data["patient_id"]))
    if not patient_is_known(session, patient_id):
        raise UnknownPatient(str(patient_id))
    settings = Runtime.of(session).service_settings
    who = "patient" if data["recipient_type"] == "patient" else "family member"
    if str(data["reason"]).startswith(_NOT_WRITTEN):
        # The address is fine: CareBridge could not write this letter, so
        # "check the contact details" would send the coordinator the wrong way.
        reason = (f"Patient not reached: the {data['channel']} to the {who} could not be written "
                  f"({data['reason']}) and was not sent. Reach them another way; the fault is in CareBridge, "
                  f"not in their contact details.")
    else:
        reason = (f"Patient unreachable: the {data['channel']} to the {who} failed for good after "
                  f"{data['attempts']} attempt(s) ({data['reason']}). Check the contact details and reach them "
                  f"another way.")
    return open_task(
        session, patient_id=patient_id, code="outreach", priority="urgent", reason=reason,
        due_at=clock.now() + settings.outreach_due, actor=SYSTEM,
        open_key=f"unreachable:{data['recipient_type']}:{data['recipient_id']}:{data['channel']}")


def worse_check_in(session: Session, data: dict):
    """Someone answered a check-in request saying the patient feels worse:
    an urgent check-in task for the care team's coordinator, due now."""
    if data["feeling"] != "worse":
        return None
    if not patient_is_known(session, data["patient_id"]):
        raise UnknownPatient(str(data["patient_id"]))
    comment = " They also wrote a comment." if data["has_comment"] else ""
    return open_task(
        session, patient_id=data["patient_id"], code="check-in", priority="urgent",
        reason=f"{_FEELS_WORSE[data['recipient_type']]} (check-in answered on the secure message page). "
               f"Call them today.{comment}",
        due_at=clock.now(), actor=SYSTEM,
        open_key=f"check-in-worse:{data['answer_id']}")
