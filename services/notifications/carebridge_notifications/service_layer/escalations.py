"""Escalation of urgent notifications nobody acknowledged.

Each open escalation has a due time. When it passes with no acknowledgement,
the next audience of the chain (`routing_rules.ESCALATION_CHAIN`) gets an
urgent notification saying so, the step is recorded, and the clock starts
again. Each step reaches only people not told about the event yet; an
audience with nobody new in it is skipped. When the
chain runs out the escalation is closed as exhausted (and logged as a warning
for operations). Any staff recipient acknowledging an urgent notification of
the event stops it: somebody has it in hand; an acknowledgement after the
chain ran out is recorded too.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from carebridge.events import registry
from carebridge.service import Runtime

from ..domain.channel_choice import plan_channels
from ..domain.routing import Target
from ..domain.routing_rules import ESCALATION_CHAIN
from ..domain.templates import for_staff, template_book
from ..domain.vocabulary import PRACTITIONER, URGENT
from ..persistence.directory import Directory
from ..persistence.escalations import ACKNOWLEDGED, EXHAUSTED, OPEN, Escalation, EscalationStep
from ..persistence.notifications import Notification
from ..settings import NotificationSettings
from .audiences import practitioners_in
from .notification_batch import NotificationBatch
from .reachability import reachability_of

log = logging.getLogger(__name__)
BATCH = 50


def escalate_due(session: Session, now: datetime) -> int:
    """Take the next step of every escalation that is due; returns how many."""
    config = Runtime.of(session).service_settings
    due = session.scalars(select(Escalation).where(Escalation.status == OPEN, Escalation.due_at <= now)
                          .order_by(Escalation.due_at).limit(BATCH).with_for_update(skip_locked=True)).all()
    for escalation in due:
        take_next_step(session, escalation, now=now, config=config)
    return len(due)


def take_next_step(session: Session, escalation: Escalation, *, now: datetime, config: NotificationSettings) -> None:
    data = registry.validate_on_receipt(escalation.source_event_type, 1, escalation.event_data)
    # Whoever holds the role now, not when the event happened.
    directory = Directory(session, patient_id=escalation.patient_id, care_team_id=escalation.care_team_id, at=now)
    while escalation.level < len(ESCALATION_CHAIN):
        audience = ESCALATION_CHAIN[escalation.level]
        escalation.level += 1
        if _notify(session, escalation, audience, directory, data, now, config):
            escalation.due_at = now + timedelta(minutes=config.escalation_after_minutes)
            return
    escalation.status, escalation.closed_at = EXHAUSTED, now
    log.warning("escalation chain exhausted with nobody acknowledging",
                extra={"resource_type": "escalation", "resource_id": str(escalation.id),
                       "event_type": escalation.source_event_type})


def already_told(session: Session, source_event_id: uuid.UUID) -> set[uuid.UUID]:
    """The staff told about the event so far (its notifications and every escalation step)."""
    return set(session.scalars(select(Notification.recipient_id).where(
        Notification.source_event_id == source_event_id, Notification.recipient_type == PRACTITIONER)))


def _notify(session: Session, escalation: Escalation, audience: str, directory: Directory, data, now: datetime,
            config: NotificationSettings) -> bool:
    told = already_told(session, escalation.source_event_id)
    candidates = [i for i in practitioners_in(audience, directory, data, config.on_call_nurse_id) if i not in told]
    # Staff in training receive no escalations (their mentor's team does).
    in_training = directory.in_training(candidates)
    ids = {i: None for i in candidates if i not in in_training}
    targets = [Target(PRACTITIONER, i, escalation.template, URGENT) for i in ids]
    people = reachability_of(directory, targets)
    batch = NotificationBatch(source_event_id=escalation.source_event_id,
                              source_event_type=escalation.source_event_type, occurred_at=escalation.occurred_at,
                              correlation_id=escalation.correlation_id, patient_id=escalation.patient_id,
                              category=escalation.category, now=now)
    book = template_book()
    steps = []
    for target in targets:
        person = people[(PRACTITIONER, target.recipient_id)]
        plans = plan_channels(person, escalation.category, URGENT, now) if person else []
        if not plans:
            continue
        patient = directory.patient
        original = book.render_message(escalation.template, "staff", person.language,
                                       for_staff(data, patient.mrn if patient else None), person.time_zone)
        notification_id = batch.add(
            recipient_type=PRACTITIONER, recipient_id=target.recipient_id, urgency=URGENT,
            template=escalation.template, rendered=book.render_escalation(original, config.escalation_after_minutes),
            plans=plans, escalation_id=escalation.id, escalation_level=escalation.level)
        steps.append(dict(id=uuid.uuid4(), escalation_id=escalation.id, level=escalation.level, audience=audience,
                          recipient_id=target.recipient_id, notification_id=notification_id, escalated_at=now))
    if not steps:
        return False
    batch.write(session)
    session.execute(insert(EscalationStep), steps)
    log.info("urgent notification escalated", extra={"resource_type": "escalation",
                                                     "resource_id": str(escalation.id), "count": len(steps)})
    return True


def acknowledge_escalation(session: Session, source_event_id: uuid.UUID, *, by: str, now: datetime) -> bool:
    """Record who took it in hand, whenever they did: an open chain stops;
    one that already ran out keeps the time it closed and records the
    acknowledgement that came after."""
    escalation = session.scalars(select(Escalation).where(Escalation.source_event_id == source_event_id)
                                 .with_for_update()).first()
    if escalation is None or escalation.status == ACKNOWLEDGED:
        return False
    was_open = escalation.status == OPEN
    escalation.status, escalation.acknowledged_at, escalation.acknowledged_by = ACKNOWLEDGED, now, by
    if was_open:
        escalation.closed_at = now
    return True
