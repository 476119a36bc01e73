"""New staff onboarding: training with a mentor and a checklist, then sign-off.

Starting and signing off publish `patients.practitioner-training-changed`
(notifications stops and resumes escalating to the person; careplans lets
the mentor read the trainee's tasks); ticking an item publishes nothing.
"""
from __future__ import annotations

import logging
import uuid

from sqlalchemy.orm import Session

from carebridge import audit, clock
from carebridge.db import get_or_404
from carebridge.errors import ConflictError, RuleViolation

from ..domain.training import IN_TRAINING, SIGNED_OFF, check_checklist, default_checklist, items_left
from ..persistence.models import Practitioner, PractitionerTraining
from . import publishing

log = logging.getLogger(__name__)
_TYPE = "practitioner-training"


def get(session: Session, practitioner_id: uuid.UUID) -> PractitionerTraining:
    return get_or_404(session, PractitionerTraining, practitioner_id, "training")


def start(session: Session, trainee: Practitioner, mentor_id: uuid.UUID, checklist: list[dict] | None,
          *, by: uuid.UUID | None) -> PractitionerTraining:
    """Mark `trainee` in training with `mentor_id`; the checklist given, else
    the role's default one."""
    if not trainee.active:
        raise RuleViolation("Only an active practitioner can start training.",
                            errors={"practitioner_id": ["Not active."]})
    if mentor_id == trainee.id:
        raise RuleViolation("A practitioner cannot mentor themselves.", errors={"mentor_id": ["Is the trainee."]})
    mentor = session.get(Practitioner, mentor_id)
    if mentor is None or not mentor.active:
        raise RuleViolation("The mentor must be an active practitioner in the directory.",
                            errors={"mentor_id": ["No active practitioner with this id."]})
    items = [dict(item) for item in checklist] if checklist else default_checklist(trainee.role)
    try:
        check_checklist(items)
    except ValueError as error:
        raise RuleViolation(str(error), errors={"checklist": [str(error)]}) from None
    items = [{"code": i["code"], "kind": i["kind"], "title": i["title"], "done_at": None, "done_by": None}
             for i in items]
    now = clock.now()
    training = session.get(PractitionerTraining, trainee.id, with_for_update=True)
    if training is not None and training.status == IN_TRAINING:
        raise ConflictError("This practitioner is already in training.")
    values = dict(mentor_id=mentor_id, status=IN_TRAINING, checklist=items, started_at=now, started_by=by,
                  signed_off_at=None, signed_off_by=None, updated_at=now)
    if training is None:
        training = PractitionerTraining(practitioner_id=trainee.id, **values)
        session.add(training)
    else:
        for name, value in values.items():
            setattr(training, name, value)
    session.flush()
    audit.record(session, action="create", resource_type=_TYPE, resource_id=trainee.id)
    publishing.training_changed(session, training)
    log.info("practitioner training started", extra={"resource_id": str(trainee.id), "count": len(items)})
    return training


def progress(session: Session, training: PractitionerTraining, done: list[str], *, sign_off: bool,
             by: uuid.UUID | None) -> None:
    """Tick the items `done` off (an item done already keeps its first
    tick), then, with `sign_off`, end the training: every item must be done.
    Records who and when; nothing changes when any of it is refused."""
    if training.status != IN_TRAINING:
        raise ConflictError("This training has already been signed off.")
    unknown = sorted(set(done) - {item["code"] for item in training.checklist})
    if unknown:
        raise RuleViolation("The checklist has no item with these codes.",
                            errors={"done": [f"Not on the checklist: {', '.join(unknown)}."]})
    now = clock.now()
    left = set(items_left(training.checklist))
    ticking = left & set(done)
    checklist = [{**item, "done_at": now.isoformat(), "done_by": str(by) if by else None}
                 if item["code"] in ticking else item for item in training.checklist]
    if sign_off:
        still_left = items_left(checklist)
        if still_left:
            raise ConflictError("Every checklist item must be done before the training is signed off.",
                                errors={"done": [f"Not done: {', '.join(still_left)}."]})
        if by is not None and by == training.practitioner_id:
            raise RuleViolation("A trainee cannot sign off their own training.",
                                errors={"status": ["The trainee cannot sign off."]})
    if not ticking and not sign_off:
        return
    training.checklist, training.updated_at = checklist, now
    if sign_off:
        training.status, training.signed_off_at, training.signed_off_by = SIGNED_OFF, now, by
    session.flush()
    audit.record(session, action="update", resource_type=_TYPE, resource_id=training.practitioner_id)
    if sign_off:
        publishing.training_changed(session, training)
        log.info("practitioner training signed off", extra={"resource_id": str(training.practitioner_id)})

