"""Helpers for service tests: wait for an effect, build real envelopes,
read what a service put in its outbox, deliver an event through the real
consumer path."""
from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import select

from .. import clock
from ..bus import EventConsumer
from ..db import migrations
from ..db.kit_tables import audit_records, outbox_events
from ..events import Event, registry
from ..web.api import KIT_PATHS


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02, message: str = "") -> Any:
    """Poll until `predicate()` returns something truthy, and return it; fail
    with `message` at the deadline. Tests wait for effects, never sleep."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            result = predicate()
            if result:
                return result
        except AssertionError as error:
            last_error = error
        if time.monotonic() > deadline:
            detail = f" (last: {last_error})" if last_error else ""
            raise AssertionError(f"timed out after {timeout}s waiting for {message or predicate}{detail}")
        time.sleep(interval)


def make_event(event_type: str, data: dict, *, version: int = 1, event_id: uuid.UUID | None = None,
               occurred_at: datetime | None = None, correlation_id: str | None = None,
               causation_id: str | None = None) -> Event:
    """A real envelope, its data validated as the producer would."""
    producer = event_type.split(".", 1)[0]
    return Event(
        id=event_id or uuid.uuid4(), type=event_type, version=version,
        occurred_at=occurred_at or clock.now(), producer=producer,
        correlation_id=correlation_id or str(uuid.uuid4()), causation_id=causation_id,
        data=registry.validate_for_publish(event_type, version, data))


def outbox(runtime, event_type: str | None = None) -> list[Event]:
    """The events a service wrote to its outbox, oldest first."""
    with runtime.db.transaction() as session:
        statement = select(outbox_events.c.payload).order_by(outbox_events.c.position)
        if event_type:
            statement = statement.where(outbox_events.c.event_type == event_type)
        payloads = session.scalars(statement).all()
    return [Event.from_json(payload) for payload in payloads]


def audit_trail(runtime) -> list[dict]:
    with runtime.db.transaction() as session:
        return [dict(row) for row in session.execute(select(audit_records).order_by(audit_records.c.seq)).mappings()]


def deliver(runtime, event: Event | str | bytes, *, published_by: str | None = None) -> str:
    """Apply one event as the service's consumer would (inbox, handlers, one
    transaction); returns "applied" or "duplicate", or raises what the
    handler raised (which the real consumer would retry). The event comes
    from its producer's broker user, unless `published_by` names another
    (then the consumer raises RefusedPublisher, as it refuses it)."""
    consumer = EventConsumer(runtime.service.name, runtime.db, runtime.service.subscriptions,
                             runtime.queues, "memory://", runtime.broker_users)
    body = event.to_json() if isinstance(event, Event) else event
    if published_by is None:
        published_by = runtime.broker_users.producer_of(Event.from_json(body).type)
    return consumer.process(body, published_by)


def envelope_json(event: Event, **extra_fields) -> str:
    """The envelope as JSON, with extra (unknown) top-level fields if asked."""
    raw = event.to_dict()
    raw.update(extra_fields)
    return json.dumps(raw)


PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    """The response is a problem+json answer with `status`; returns its body."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.content_type == PROBLEM, response.content_type
    body = response.get_json()
    assert body["status"] == status and body["title"], body
    assert body["type"].startswith("urn:carebridge:problem:"), body
    return body


def patient_scoped_operations(spec: dict) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation of the service's own that an OpenAPI
    document marks as reading or writing one patient's data
    (`x-patient-scoped`); the kit's (`KIT_PATHS`, on every service) are the
    kit's tests' business, and the FHIR interface's (`/fhir/R4/...`, whose
    errors are OperationOutcomes, not problem+json) are
    `carebridge.testing.fhir.fhir_patient_scoped_operations`'."""
    return sorted((method.upper(), path) for path, operations in spec["paths"].items()
                  for method, operation in operations.items()
                  if isinstance(operation, dict) and operation.get("x-patient-scoped") and path not in KIT_PATHS
                  and not path.startswith("/fhir/"))


def care_team_member(practitioner_id: uuid.UUID, role: str = "nurse", *, since: datetime | None = None,
                     until: datetime | None = None, membership_id: uuid.UUID | None = None) -> dict:
    """One member of a `patients.care-team-changed` event (active for a
    month before the kit's clock unless `since` says otherwise)."""
    return {"membership_id": membership_id or uuid.uuid4(), "practitioner_id": practitioner_id, "role": role,
            "period_start": since or clock.now() - timedelta(days=30), "period_end": until}


def care_team_event(patient_id: uuid.UUID, members, *, care_team_id: uuid.UUID | None = None, revision: int = 1,
                    status: str = "active", lead_coordinator_id: uuid.UUID | None = None) -> Event:
    """A real `patients.care-team-changed` event. `members`: a list of
    `care_team_member(...)`, or a mapping of practitioner id to role."""
    if isinstance(members, dict):
        members = [care_team_member(practitioner_id, role) for practitioner_id, role in members.items()]
    return make_event("patients.care-team-changed", {
        "care_team_id": care_team_id or uuid.uuid5(uuid.NAMESPACE_URL, f"care-team/{patient_id}"),
        "patient_id": patient_id, "revision": revision, "status": status,
        "lead_coordinator_id": lead_coordinator_id, "members": list(members)})


def put_on_care_team(runtime, patient_id: uuid.UUID, practitioner_id: uuid.UUID, role: str = "nurse") -> None:
    """The practitioner joins the patient's active care team, as the
    patients service would tell the service."""
    deliver(runtime, care_team_event(patient_id, {practitioner_id: role}, care_team_id=uuid.uuid4()))


def check_migrations(service, database_url: str) -> None:
    """The service's migrations (and the kit's) bring an empty database to
    a schema that matches the models exactly, apply twice without harm, and
    go down to nothing and up again."""
    migrations.upgrade(service, database_url)
    migrations.upgrade(service, database_url)
    migrations.check(service, database_url)
    migrations.downgrade(service, database_url, f"{service.name}@base")
    migrations.upgrade(service, database_url)
    migrations.check(service, database_url)
