"""Sending a plan's plain-language summary to the patient and consenting
family: an event (identifiers only) that notifications turns into a secure
message whose page shows the summary."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from carebridge import clock, outbox
from carebridge.errors import ConflictError

from ..persistence.models import CarePlan
from .actors import Actor

# A draft is still being written; a revoked plan is no longer to be followed.
NOT_SENDABLE = ("draft", "revoked")


def send_summary(session: Session, plan: CarePlan, *, include_family: bool, by: Actor) -> dict:
    """Announce the sending of the plan's summary as it stands now."""
    if plan.status in NOT_SENDABLE:
        raise ConflictError(f"A {plan.status} plan's summary cannot be sent to the patient.",
                            current_status=plan.status)
    sending = {"sending_id": uuid.uuid4(), "plan_id": plan.id, "patient_id": plan.patient_id,
               "care_team_id": plan.care_team_id, "version": plan.version, "include_family": include_family,
               "sent_by": by.practitioner_id}
    outbox.record(session, "careplans.plan-summary-sent", sending)
    return {**sending, "sent_at": clock.now()}
