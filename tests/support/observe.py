"""What the tests look at to assert effects: the services' HTTP APIs first
(a patient's notification history, a staff inbox), the mailbox of the SMTP
server, and for what no API shows (which events a producer wrote, which a
consumer applied, the audit trail) the service's own database, read only.
"""
from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from carebridge.db.kit_tables import audit_records, inbox_events, outbox_events

from .api import Client, ok
from .stack import Stack


def all_pages(client: Client, path: str, **params) -> list[dict]:
    items, page = [], 1
    while True:
        body = ok(client.get(path, params={**params, "page": page, "page_size": 100}))
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            return items
        page += 1


def notifications(stack: Stack, patient_id: str, **filters) -> list[dict]:
    """The patient's notification history (who was told what, each channel's
    delivery), as a coordinator sees it."""
    return all_pages(stack.client("notifications", "coordinator"), "/notifications", patient_id=patient_id, **filters)


def told(history: list[dict], event_type: str, recipient_id: str) -> list[dict]:
    return [n for n in history if n["source_event_type"] == event_type and n["recipient_id"] == recipient_id]


def channels(notification: dict) -> dict[str, str]:
    return {d["channel"]: d["status"] for d in notification["deliveries"]}


def outbox(stack: Stack, service: str, event_type: str | None = None, **data_equals) -> list[dict]:
    """The events `service` wrote to its outbox (oldest first) as envelopes,
    with `published` telling whether the relay has sent them."""
    with stack.runtime(service).db.transaction() as session:
        statement = select(outbox_events.c.payload, outbox_events.c.published_at).order_by(outbox_events.c.position)
        if event_type:
            statement = statement.where(outbox_events.c.event_type == event_type)
        rows = session.execute(statement).all()
    events = []
    for payload, published_at in rows:
        envelope = json.loads(payload)
        if all(str(envelope["data"].get(k)) == str(v) for k, v in data_equals.items()):
            envelope["published"] = published_at is not None
            events.append(envelope)
    return events


def applied(stack: Stack, consumer: str, event_ids) -> dict[str, int]:
    """How many times `consumer` recorded each event id in its inbox."""
    ids = [uuid.UUID(str(i)) for i in event_ids]
    with stack.runtime(consumer).db.transaction() as session:
        rows = session.execute(select(inbox_events.c.event_id).where(
            inbox_events.c.consumer == consumer, inbox_events.c.event_id.in_(ids))).scalars().all()
    counts = {str(i): 0 for i in ids}
    for row in rows:
        counts[str(row)] += 1
    return counts


def audit(stack: Stack, service: str, correlation_id: str) -> list[dict]:
    with stack.runtime(service).db.transaction() as session:
        return [dict(row) for row in session.execute(
            select(audit_records).where(audit_records.c.correlation_id == correlation_id)
            .order_by(audit_records.c.seq)).mappings()]


def mail_to(stack: Stack, address: str) -> list:
    return stack.smtp.mailbox.to(address)


def mail_text(message) -> str:
    parts = [message.get("Subject", "")]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            if payload:
                parts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(parts)


def consumers_of(event_type: str) -> list[str]:
    from carebridge.runtime.discovery import installed_services
    return sorted(name for name, service in installed_services().items()
                  if service.subscriptions.handles_type(event_type))


def delivery_report(stack: Stack, events: list[dict]) -> dict[tuple[str, str, str], int]:
    """For each (event id, type, consumer) that should have it: how many
    times the consumer applied it (its inbox). Every value is 1 when each
    event reached each of its consumers exactly once."""
    report = {}
    by_consumer: dict[str, list[dict]] = {}
    for event in events:
        for consumer in consumers_of(event["type"]):
            by_consumer.setdefault(consumer, []).append(event)
    for consumer, wanted in by_consumer.items():
        counts = applied(stack, consumer, [e["id"] for e in wanted])
        for event in wanted:
            report[(event["id"], event["type"], consumer)] = counts[event["id"]]
    return report


def all_delivered_once(stack: Stack, events: list[dict]) -> bool:
    report = delivery_report(stack, events)
    missing = {key: count for key, count in report.items() if count != 1}
    assert not missing, f"{len(missing)} of {len(report)} deliveries not applied exactly once: {sorted(missing)[:5]}"
    return True


def events_about(stack: Stack, patient_id: str, producers=("patients", "careplans", "scheduling", "billing",
                                                           "notifications")) -> list[dict]:
    """Every event any service wrote about the patient."""
    return [event for producer in producers for event in outbox(stack, producer, patient_id=patient_id)]
