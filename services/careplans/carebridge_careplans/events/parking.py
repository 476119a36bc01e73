"""Events about a patient or plan activity this service does not know are
parked, not lost: kept with the reason in `parked_events`, logged, and
applied again as soon as the patient becomes known (their registration or
care team arrives, see the patients handlers). The consumer acknowledges
them, so they never block the queue or fill the dead-letter queue with
events that only arrived early."""
from __future__ import annotations

import logging
import uuid
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebridge import clock, context
from carebridge.bus import ReceivedEvent
from carebridge.events import Event, registry
from carebridge.service import Runtime

from ..persistence.models import ParkedEvent
from ..service_layer.visits import UnknownActivity, UnknownPatient

log = logging.getLogger(__name__)


def park(session: Session, event, reason: str) -> None:
    row = session.get(ParkedEvent, event.id)
    if row is None:
        session.add(ParkedEvent(event_id=event.id, event_type=event.type, event_version=event.version,
                                patient_id=event.data.get("patient_id"), reason=reason,
                                envelope=Event(**{**event.__dict__, "data": registry.validate_for_publish(
                                    event.type, event.version, event.data)}).to_json(),
                                parked_at=clock.now(), attempts=1))
    else:
        row.reason, row.attempts = reason, row.attempts + 1
    log.warning("event parked until its patient or activity is known",
                extra={"event_id": str(event.id), "event_type": event.type, "reason": reason,
                       "patient_id": str(event.data.get("patient_id"))})


@contextmanager
def parking_unknown_references(session: Session, event):
    """Run a handler's work on a savepoint; if it meets an unknown patient or
    activity, undo its partial work and park the event instead."""
    try:
        with session.begin_nested():
            yield
    except UnknownPatient:
        park(session, event, "unknown-patient")
    except UnknownActivity:
        park(session, event, "unknown-plan-activity")


def replay_parked(session: Session, patient_id: uuid.UUID) -> int:
    """Apply again the parked events about this patient; those that still
    cannot be applied stay parked. Returns how many were applied."""
    # The handlers come from the running service's subscriptions rather than
    # an import of subscriptions.py, which imports the handlers calling this.
    subscriptions = Runtime.of(session).service.subscriptions
    applied = 0
    for row in session.scalars(select(ParkedEvent).where(ParkedEvent.patient_id == patient_id,
                                                         ParkedEvent.applied_at.is_(None))
                               .order_by(ParkedEvent.parked_at)).all():
        event = Event.from_json(row.envelope)
        received = ReceivedEvent(**{**event.__dict__,
                                    "data": registry.validate_on_receipt(event.type, event.version, event.data)})
        attempts = row.attempts
        try:
            with context.acting(correlation=event.correlation_id, causation=str(event.id)):
                with session.begin_nested():
                    for handler in subscriptions.handlers_for(event.type, event.version):
                        handler(session, [received] if subscriptions.takes_batches(handler) else received)
        except Exception:
            log.exception("a parked event failed again; it stays parked",
                          extra={"event_id": str(event.id), "event_type": event.type})
            continue
        if row.attempts == attempts:
            row.applied_at = clock.now()
            applied += 1
    if applied:
        log.info("parked events applied", extra={"count": applied, "patient_id": str(patient_id)})
    return applied
