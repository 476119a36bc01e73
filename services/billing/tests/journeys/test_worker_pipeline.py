"""The service's worker on the in-memory bus: a scheduling event published
to the exchange is consumed (charge and claim), and billing's own events
leave through the outbox relay."""
import uuid

import pytest
from sqlalchemy import select

from support import appointment_event
from carebridge.bus import Publisher
from carebridge.runtime.worker import Worker
from carebridge.testing import wait_for
from carebridge_billing.persistence.charges import Charge


@pytest.fixture
def worker(runtime):
    worker = Worker(runtime, jobs=False).start()
    wait_for(lambda: all(consumer.connected.is_set() for consumer in worker.consumers),
             message="the consumer to connect")
    yield worker
    worker.stop()


def test_a_published_completion_is_charged_and_billing_events_are_relayed(runtime, worker, make_coverage,
                                                                          patient_id):
    make_coverage(patient_id)
    appointment_id = uuid.uuid4()
    for kind, code in (("booked", "72148"), ("completed", "72148")):
        event = appointment_event(kind, patient_id, code, appointment_id=appointment_id)
        # As the scheduling service's broker user: billing believes only it.
        with Publisher("memory://", runtime.topology, runtime.settings.broker_user_of("scheduling")) as publisher:
            publisher.publish_event(body=event.to_json(), event_id=str(event.id), event_type=event.type)

    def charged():
        with runtime.db.transaction() as session:
            return session.scalars(select(Charge).where(Charge.appointment_id == appointment_id)).first()

    charge = wait_for(charged, message="the completed visit to be charged")
    assert charge.prior_auth_id is not None
    wait_for(lambda: runtime.outbox_backlog() == 0, message="the relay to publish billing's events")
