"""A patient the notifications service could not reach: the lead
coordinator checks their contact details (webhooks and staff are not the
patient's concern; related persons are left to their own preferences)."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.service import Runtime

from ..persistence.queries import patient_is_known
from .actors import SYSTEM
from .tasks import open_task
from .visits import patient_is_active

log = logging.getLogger(__name__)
CHANNEL_WORDS = {"email": "email", "sms": "text message", "inapp": "the portal", "webhook": "webhook"}


def message_not_delivered(session: Session, data: dict):
    if data["recipient_type"] != "patient" or data["channel"] not in ("email", "sms"):
        return None
    patient_id = data["recipient_id"]
    if not patient_is_known(session, patient_id) or not patient_is_active(session, patient_id):
        log.info("no contact check for a patient this service does not follow",
                 extra={"patient_id": str(patient_id)})
        return None
    channel = CHANNEL_WORDS[data["channel"]]
    settings = Runtime.of(session).service_settings
    return open_task(
        session, patient_id=patient_id, code="general", priority="routine",
        reason=f"A {channel} to the patient could not be delivered ({data['reason']}): check their contact "
               f"details and how they prefer to be reached.",
        due_at=clock.now() + settings.outreach_due, actor=SYSTEM,
        open_key=f"unreachable:{data['channel']}:patient:{patient_id}")
