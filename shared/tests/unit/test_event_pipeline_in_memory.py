"""Outbox, relay and consumer together on the in-memory bus (the dev stack's
transport). The same scenarios run on RabbitMQ and PostgreSQL in
tests/integration."""
import uuid

import pytest
from sqlalchemy import select

from carebridge import outbox
from carebridge.bus import dead_letters
from carebridge.runtime.worker import Worker
from carebridge.testing import deliver, make_event, outbox as outbox_events, wait_for
from kit_toy_service import handlers
from kit_toy_service.models import Counter, Toy


def counter_value(runtime, name):
    with runtime.db.transaction() as session:
        return session.scalar(select(Counter.value).where(Counter.name == name))


@pytest.fixture
def worker(runtime):
    worker = Worker(runtime).start()
    wait_for(lambda: all(consumer.connected.is_set() for consumer in worker.consumers), message="consumer connected")
    yield worker
    worker.stop()


@pytest.fixture(autouse=True)
def fault_enabled():
    handlers.FAULT["enabled"] = True
    yield
    handlers.FAULT["enabled"] = True


def test_event_commits_with_the_state_change_or_not_at_all(runtime):
    patient = uuid.uuid4()
    with runtime.db.transaction() as session:
        session.add(Toy(id=uuid.uuid4(), patient_id=patient, name="kept"))
        outbox.record(session, "toys.toy-created", {"toy_id": uuid.uuid4(), "patient_id": patient})
    with pytest.raises(RuntimeError):
        with runtime.db.transaction() as session:
            session.add(Toy(id=uuid.uuid4(), patient_id=patient, name="lost"))
            outbox.record(session, "toys.toy-created", {"toy_id": uuid.uuid4(), "patient_id": patient})
            raise RuntimeError("the request failed")
    assert len(outbox_events(runtime, "toys.toy-created")) == 1


def test_a_service_cannot_publish_another_services_events(runtime):
    with pytest.raises(ValueError):
        with runtime.db.transaction() as session:
            outbox.record(session, "patients.patient-registered", {})


def test_invalid_event_data_fails_the_transaction(runtime):
    from carebridge.events import InvalidEventData
    with pytest.raises(InvalidEventData):
        with runtime.db.transaction() as session:
            outbox.record(session, "toys.toy-counted", {"counter": "x", "patient_name": "Jane"})


def test_outbox_event_is_relayed_and_consumed(runtime, worker):
    with runtime.db.transaction() as session:
        outbox.record(session, "toys.toy-counted", {"counter": "pipeline"})
    wait_for(lambda: counter_value(runtime, "pipeline") == 1, message="the counter to reach 1")
    wait_for(lambda: runtime.outbox_backlog() == 0, message="the outbox to drain")


def test_duplicate_delivery_has_one_effect(runtime):
    event = make_event("toys.toy-counted", {"counter": "dup"})
    assert deliver(runtime, event) == "applied"
    assert deliver(runtime, event) == "duplicate"
    assert counter_value(runtime, "dup") == 1


def test_failed_handler_leaves_no_inbox_record_and_no_effect(runtime):
    event = make_event("toys.toy-counted", {"counter": "bad", "fail": True})
    with pytest.raises(handlers.FlakyHandlerError):
        deliver(runtime, event)
    handlers.FAULT["enabled"] = False
    assert deliver(runtime, event) == "applied"
    assert counter_value(runtime, "bad") == 1


def test_failing_message_is_dead_lettered_after_retries_and_replayable(runtime, worker):
    with runtime.db.transaction() as session:
        outbox.record(session, "toys.toy-counted", {"counter": "poison", "fail": True})
        outbox.record(session, "toys.toy-counted", {"counter": "healthy"})
    wait_for(lambda: counter_value(runtime, "healthy") == 1, message="the next message to be processed")
    letters = wait_for(lambda: dead_letters.list_dead_letters("memory://", runtime.queues, runtime.broker_users),
                       message="the poison message in the dead-letter queue")
    assert letters[0].attempts == len(runtime.settings.retry_delays) + 1
    assert "FlakyHandlerError" in letters[0].error
    # The class and a code, never the exception's text (which may quote data).
    assert letters[0].error == letters[0].error_code == "FlakyHandlerError"
    # Its retries were this service's own copies, the producer still known.
    assert letters[0].published_by == "toys"
    handlers.FAULT["enabled"] = False
    replayed = dead_letters.replay("memory://", runtime.queues, runtime.broker_users)
    assert [letter.event_id for letter in replayed] == [letters[0].event_id]
    wait_for(lambda: counter_value(runtime, "poison") == 1, message="the replayed message to apply")
    assert dead_letters.list_dead_letters("memory://", runtime.queues, runtime.broker_users) == []


def test_garbage_message_goes_straight_to_dead_letters(runtime, worker):
    from carebridge.bus import Publisher
    with Publisher("memory://", runtime.topology, "toys") as publisher:
        publisher.publish_to_queue(runtime.queues, queue_name=runtime.queues.main_name, body="not an envelope",
                                   event_id="garbage-1", event_type="toys.toy-counted")
    letters = wait_for(lambda: dead_letters.list_dead_letters("memory://", runtime.queues, runtime.broker_users))
    assert letters[0].event_id == "garbage-1" and "MalformedEvent" in letters[0].error


# -- who may publish which event (carebridge.bus.identity) ------------------
# The in-memory bus has no users, but the relay stamps its service's user
# name on every message all the same and the consumer checks it the same way.

def publish_as(runtime, user_id, event, headers=None):
    from carebridge.bus import Publisher
    with Publisher("memory://", runtime.topology, user_id) as publisher:
        publisher.publish_event(body=event.to_json(), event_id=str(event.id), event_type=event.type,
                                headers=headers)


def refused_count(runtime, event_type):
    from carebridge.metrics import events_refused
    return events_refused.labels(runtime.service.name, event_type)._value.get()


@pytest.mark.parametrize("user_id,headers", [
    ("scheduling", None),
    (None, None),
    # A header naming the producer is believed only on this service's own copies.
    ("scheduling", {"x-carebridge-published-by": "toys"}),
    # ... and on its own copies it names who published first (a refused
    # event replayed is refused again).
    ("toys", {"x-carebridge-published-by": "scheduling"}),
], ids=["another-services-user", "no-user", "forged-header", "own-copy-of-a-refused-event"])
def test_an_event_not_published_by_its_producer_is_refused_and_dead_lettered(runtime, worker, caplog,
                                                                             user_id, headers):
    event = make_event("toys.toy-counted", {"counter": f"forged-{user_id}"})
    before = refused_count(runtime, "toys.toy-counted")
    publish_as(runtime, user_id, event, headers)
    letters = wait_for(lambda: dead_letters.list_dead_letters("memory://", runtime.queues, runtime.broker_users),
                       message="the forged event in the dead-letter queue")
    assert [(letter.event_id, letter.event_type) for letter in letters] == [(str(event.id), "toys.toy-counted")]
    assert "RefusedPublisher" in letters[0].error
    assert letters[0].published_by == (headers or {}).get("x-carebridge-published-by", user_id) \
        if user_id == "toys" else letters[0].published_by == user_id
    assert counter_value(runtime, f"forged-{user_id}") is None
    assert refused_count(runtime, "toys.toy-counted") == before + 1
    [line] = [r for r in caplog.records if "refused" in r.getMessage()]
    assert (line.event_id, line.event_type, line.subject) == (str(event.id), "toys.toy-counted", user_id and
                                                              (headers or {}).get("x-carebridge-published-by",
                                                                                  user_id)
                                                              if user_id == "toys" else user_id or "none")
    # Replayed as it is, it is refused again.
    dead_letters.replay("memory://", runtime.queues, runtime.broker_users)
    wait_for(lambda: dead_letters.list_dead_letters("memory://", runtime.queues, runtime.broker_users),
             message="the replayed forgery refused again")
    assert counter_value(runtime, f"forged-{user_id}") is None


def test_an_event_from_its_producer_is_applied(runtime, worker):
    event = make_event("toys.toy-counted", {"counter": "genuine"})
    publish_as(runtime, "toys", event)
    wait_for(lambda: counter_value(runtime, "genuine") == 1, message="the genuine event applied")


def test_deliver_checks_the_publisher_too(runtime):
    from carebridge.bus import RefusedPublisher
    event = make_event("toys.toy-counted", {"counter": "delivered"})
    with pytest.raises(RefusedPublisher):
        deliver(runtime, event, published_by="scheduling")
    assert counter_value(runtime, "delivered") is None
    assert deliver(runtime, event) == "applied"


def test_events_arriving_together_share_a_transaction_but_not_a_fate(runtime):
    from carebridge.bus import EventConsumer
    consumer = EventConsumer(runtime.service.name, runtime.db, runtime.service.subscriptions, runtime.queues,
                             "memory://", runtime.broker_users)
    events = [make_event("toys.toy-counted", {"counter": "batch"}),
              make_event("toys.toy-counted", {"counter": "batch", "fail": True}),
              make_event("toys.toy-counted", {"counter": "batch"})]
    first = events[0]
    outcomes = consumer.apply([consumer.decode(e.to_json()) for e in events + [first]])
    assert outcomes[0] == "applied" and outcomes[2] == "applied" and outcomes[3] == "duplicate"
    assert isinstance(outcomes[1], handlers.FlakyHandlerError)
    assert counter_value(runtime, "batch") == 2
    handlers.FAULT["enabled"] = False
    assert deliver(runtime, events[1]) == "applied"  # its inbox record was rolled back with it


def test_the_in_memory_broker_gets_one_consumer_whatever_the_setting(make_runtime, service):
    runtime = make_runtime(service, consumer_threads=4)
    assert len(Worker(runtime).consumers) == 1


def test_a_dead_letter_names_a_database_error_by_its_sqlstate_and_never_quotes_it():
    import sqlalchemy.exc

    from carebridge.bus.consumer import PermanentFailure, _describe, error_code

    class DriverError(Exception):
        sqlstate = "23514"

    detail = 'new row violates check constraint\nDETAIL: Failing row contains (Jane Doe, 1950-02-01)'
    error = sqlalchemy.exc.IntegrityError("INSERT ...", {}, DriverError(detail))
    assert (_describe(error), error_code(error)) == ("IntegrityError", "sqlstate-23514")
    failure = PermanentFailure("no price for 99213 of Jane Doe", code="unpriced-service")
    assert (_describe(failure), error_code(failure)) == ("PermanentFailure", "unpriced-service")
