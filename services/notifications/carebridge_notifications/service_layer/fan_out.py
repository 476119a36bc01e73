"""Fan one event out: who hears it (the routing rule), on which channels
(their preferences), in which words (the templates); an urgent notification
to staff also opens an escalation.

Runs inside the consumer's transaction, with the inbox record of the event:
everything it writes commits once or not at all, and the unique keys on
notifications and deliveries refuse a second copy whatever happens. It makes
no HTTP calls and a fixed handful of queries (four for news to a care team:
the team with its members, the staff with their preferences, two bulk
inserts), whatever the number of recipients; and as few for a whole run of
events the consumer applies together (`fan_out_many`): the directory is read
once for all of them and their rows go in the same two inserts.
"""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from carebridge import clock, context
from carebridge.events.registry import to_jsonish
from carebridge.service import Runtime

from ..domain.channel_choice import ChannelPlan, plan_channels
from ..domain.routing import applicable_sends, merge_targets
from ..domain.routing_rules import RULES
from ..domain.templates import Rendered, for_staff, template_book
from ..domain.vocabulary import PRACTITIONER, ROUTINE, URGENT, WEBHOOK, WEBHOOK_CHANNEL, audience_kind
from ..persistence.directory import Directory, DirectoryReads
from ..persistence.escalations import OPEN
from ..persistence.writes import insert_fan_out
from .audiences import targets_of
from .notification_batch import NotificationBatch
from .reachability import reachability_of
from .webhook_targets import webhooks_wanting

log = logging.getLogger(__name__)


def fan_out(session: Session, event) -> int:
    """Record the notifications and deliveries `event` calls for; returns how
    many notifications were written."""
    return fan_out_many(session, [event])


def fan_out_many(session: Session, events: list) -> int:
    """`fan_out` for several events applied together (a run of one type from
    one consumer transaction): the directory is read once for all of them and
    everything they produce is written in one insert per table. The rows are
    exactly those that fanning them out one by one would write."""
    config = Runtime.of(session).service_settings
    reads = DirectoryReads(session)
    notifications, deliveries, escalations = [], [], []
    for event in events:
        with context.acting(correlation=event.correlation_id, causation=str(event.id)):
            batch, escalation = _plan(session, event, reads, config)
        notifications += batch.notifications
        deliveries += batch.deliveries
        if escalation is not None:
            escalations.append(escalation)
    insert_fan_out(session, notifications=notifications, deliveries=deliveries, escalations=escalations)
    # One line per run, not per event (a formatted JSON line and a write per
    # event was ~3% of the consumer's CPU): which event made which
    # notifications is in the notifications' source_event_id, committed with
    # the inbox record; a single event still logs its id.
    if len(events) == 1:
        log.info("event fanned out", extra={"event_id": str(events[0].id), "event_type": events[0].type,
                                            "count": len(notifications)})
    elif events:
        log.info("events fanned out", extra={"event_type": events[0].type, "count": len(notifications)})
    return len(notifications)


def _plan(session: Session, event, reads: DirectoryReads, config) -> tuple[NotificationBatch, dict | None]:
    rule = RULES[event.type]
    data = event.data
    now = clock.now()
    directory = Directory(session, patient_id=data.get("patient_id"), care_team_id=data.get("care_team_id"),
                          at=event.occurred_at, reads=reads)
    targets = merge_targets([target for send, urgency in applicable_sends(rule, data)
                             for target in targets_of(send, urgency, rule.category, directory, data)])
    people = reachability_of(directory, targets)
    batch = NotificationBatch(source_event_id=event.id, source_event_type=event.type, occurred_at=event.occurred_at,
                              correlation_id=event.correlation_id, patient_id=data.get("patient_id"),
                              category=rule.category, now=now)
    escalation_id = None  # drawn when the first chased notification needs it
    chased_template = None
    book = template_book()
    rendered_for: dict[tuple, Rendered] = {}
    facts = None  # for patients and relatives only: staff get none
    for target in targets:
        person = people[(target.recipient_type, target.recipient_id)]
        plans = plan_channels(person, rule.category, target.urgency, now) if person else []
        if not plans:
            continue
        # Most of a team reads the same words: render each wording once.
        wording = (target.template, audience_kind(target.recipient_type), person.language, person.time_zone)
        rendered = rendered_for.get(wording)
        if rendered is None:
            values = for_staff(data, _mrn(directory)) if wording[1] == "staff" else data
            rendered = rendered_for[wording] = book.render_message(*wording[:3], values, person.time_zone)
        chased = target.urgency == URGENT and target.recipient_type == PRACTITIONER
        if facts is None and target.recipient_type != PRACTITIONER:
            facts = {"facts": to_jsonish(dict(data))}
        if chased and escalation_id is None:
            escalation_id = uuid.uuid4()
        batch.add(recipient_type=target.recipient_type, recipient_id=target.recipient_id, urgency=target.urgency,
                  template=target.template, rendered=rendered, plans=plans,
                  escalation_id=escalation_id if chased else None,
                  # The facts the letter to a patient or relative is worded
                  # from when it is sent (identifiers, codes and times).
                  payload=None if target.recipient_type == PRACTITIONER else facts)
        chased_template = chased_template or (target.template if chased else None)
    _add_webhooks(session, batch, event, rule.category, now)
    escalation = None
    if chased_template:
        escalation = dict(
            id=escalation_id, source_event_id=event.id, source_event_type=event.type,
            occurred_at=event.occurred_at, correlation_id=event.correlation_id, patient_id=data.get("patient_id"),
            care_team_id=directory.team_id,
            category=rule.category, template=chased_template, event_data=to_jsonish(dict(data)), status=OPEN, level=0,
            due_at=now + timedelta(minutes=config.escalation_after_minutes), created_at=now)
    return batch, escalation


def _mrn(directory: Directory) -> str | None:
    return directory.patient.mrn if directory.patient is not None else None


def webhook_identifiers(session: Session, event, category: str) -> dict:
    """What a webhook is told of an event: its identifiers only (the staff
    app reads the rest through the API, with its own access checks); a
    related person's id only while they consent to hear of this category."""
    data = to_jsonish(dict(event.data))
    kept = {key: value for key, value in data.items() if key.endswith(("_id", "_ids"))}
    person = kept.get("related_person_id")
    if person is not None:
        directory = Directory(session, patient_id=event.data.get("patient_id"), care_team_id=None, at=event.occurred_at)
        if person not in {str(p.related_person_id) for p in directory.consenting_family(category)}:
            kept.pop("related_person_id")
    return kept


def _add_webhooks(session: Session, batch: NotificationBatch, event, category: str, now) -> None:
    subscriptions = webhooks_wanting(session, event.type)
    if not subscriptions:
        return
    payload = {"event_id": str(event.id), "event_type": event.type, "occurred_at": event.occurred_at.isoformat(),
               "category": category, "data": webhook_identifiers(session, event, category)}
    for subscription in subscriptions:
        batch.add(recipient_type=WEBHOOK, recipient_id=subscription.id, urgency=ROUTINE, template="webhook",
                  rendered=Rendered(event.type, "", "en"), payload=payload,
                  plans=[ChannelPlan(WEBHOOK_CHANNEL, subscription.url, now)])
