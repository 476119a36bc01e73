"""Fan one event out: who hears it (the routing rule), on which channels
(their preferences), in which words (the templates); an urgent notification
to staff also opens an escalation.

Runs inside the consumer's transaction, with the inbox record of the event:
everything it writes commits once or not at all, and the unique keys on
notifications and deliveries refuse a second copy whatever happens. It makes
no HTTP calls and a fixed handful of queries (four for news to a care team:
the team with its members, the staff with their preferences, two bulk
inserts), whatever the number of recipients.
"""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from carebridge import clock
from carebridge.events.registry import to_jsonish
from carebridge.service import Runtime

from ..domain.channel_choice import ChannelPlan, plan_channels
from ..domain.routing import applicable_sends, merge_targets
from ..domain.routing_rules import RULES
from ..domain.templates import Rendered, template_book
from ..domain.vocabulary import PRACTITIONER, ROUTINE, URGENT, WEBHOOK, WEBHOOK_CHANNEL, audience_kind
from ..persistence.directory import Directory
from ..persistence.escalations import OPEN
from ..settings import notification_settings
from .audiences import targets_of
from .notification_batch import NotificationBatch
from .reachability import reachability_of
from .webhook_targets import webhooks_wanting

log = logging.getLogger(__name__)


def fan_out(session: Session, event) -> int:
    """Record the notifications and deliveries `event` calls for; returns how
    many notifications were written."""
    rule = RULES[event.type]
    data = event.data
    now = clock.now()
    config = notification_settings(Runtime.of(session))
    directory = Directory(session, patient_id=data.get("patient_id"), care_team_id=data.get("care_team_id"),
                          at=event.occurred_at)
    targets = merge_targets([target for send, urgency in applicable_sends(rule, data)
                             for target in targets_of(send, urgency, rule.category, directory, data)])
    people = reachability_of(directory, targets)
    batch = NotificationBatch(source_event_id=event.id, source_event_type=event.type, occurred_at=event.occurred_at,
                              correlation_id=event.correlation_id, patient_id=data.get("patient_id"),
                              category=rule.category, now=now)
    escalation_id = uuid.uuid4()
    chased_template = None
    book = template_book()
    for target in targets:
        person = people[(target.recipient_type, target.recipient_id)]
        plans = plan_channels(person, rule.category, target.urgency, now) if person else []
        if not plans:
            continue
        rendered = book.render_message(target.template, audience_kind(target.recipient_type), person.language,
                                       data, person.time_zone)
        chased = target.urgency == URGENT and target.recipient_type == PRACTITIONER
        batch.add(recipient_type=target.recipient_type, recipient_id=target.recipient_id, urgency=target.urgency,
                  template=target.template, rendered=rendered, plans=plans,
                  escalation_id=escalation_id if chased else None)
        chased_template = chased_template or (target.template if chased else None)
    _add_webhooks(session, batch, event, rule.category, now)
    escalation = None
    if chased_template:
        escalation = dict(
            id=escalation_id, source_event_id=event.id, source_event_type=event.type,
            occurred_at=event.occurred_at, correlation_id=event.correlation_id, patient_id=data.get("patient_id"),
            care_team_id=data.get("care_team_id"),
            category=rule.category, template=chased_template, event_data=to_jsonish(dict(data)), status=OPEN, level=0,
            due_at=now + timedelta(minutes=config.escalation_after_minutes), created_at=now)
    batch.write(session, escalation)
    log.info("event fanned out", extra={"event_id": str(event.id), "event_type": event.type, "count": len(batch)})
    return len(batch)


def _add_webhooks(session: Session, batch: NotificationBatch, event, category: str, now) -> None:
    subscriptions = webhooks_wanting(session, event.type)
    if not subscriptions:
        return
    payload = {"event_id": str(event.id), "event_type": event.type, "occurred_at": event.occurred_at.isoformat(),
               "category": category, "data": to_jsonish(dict(event.data))}
    for subscription in subscriptions:
        batch.add(recipient_type=WEBHOOK, recipient_id=subscription.id, urgency=ROUTINE, template="webhook",
                  rendered=Rendered(event.type, "", "en"), payload=payload,
                  plans=[ChannelPlan(WEBHOOK_CHANNEL, subscription.url, now)])
