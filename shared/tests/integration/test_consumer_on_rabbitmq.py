"""The consumer against real RabbitMQ and PostgreSQL: duplicates, poison
messages, dead letters and replay, reconnection."""
import threading

import pytest
from kombu import Queue
from sqlalchemy import func, select

from carebridge.bus import Publisher, dead_letters, open_connection
from carebridge.db.kit_tables import inbox_events
from carebridge.runtime.worker import Worker
from carebridge.testing import make_event, wait_for
from kit_toy_service import handlers
from kit_toy_service.models import Counter
from kit_toy_service.service import SERVICE


@pytest.fixture(autouse=True)
def fault_enabled():
    handlers.FAULT["enabled"] = True
    yield
    handlers.FAULT["enabled"] = True


def counter(runtime, name):
    with runtime.db.transaction() as session:
        return session.scalar(select(Counter.value).where(Counter.name == name)) or 0


def inbox_size(runtime):
    with runtime.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(inbox_events))


def start_consumers(runtime, count=1, broker_url=None):
    consumers, stop = [], threading.Event()
    for _ in range(count):
        consumer = runtime.consumer()
        if broker_url:
            consumer.broker_url = broker_url
        threading.Thread(target=consumer.run, args=(stop,), daemon=True).start()
        consumers.append(consumer)
    for consumer in consumers:
        wait_for(consumer.connected.is_set, message="the consumer to connect")
    return consumers, stop


def publish(runtime, *events):
    with Publisher(runtime.settings.broker_url, runtime.topology) as publisher:
        for event in events:
            publisher.publish_event(body=event.to_json(), event_id=str(event.id), event_type=event.type)


def queue_state(runtime, name):
    with open_connection(runtime.settings.broker_url) as connection:
        return Queue(name, no_declare=True)(connection.channel()).queue_declare(passive=True)


def queue_depth(runtime, name):
    return queue_state(runtime, name).message_count


def test_a_duplicated_delivery_has_one_effect(runtime):
    consumers, stop = start_consumers(runtime, count=2)
    try:
        events = [make_event("toys.toy-counted", {"counter": "dup"}) for _ in range(30)]
        publish(runtime, *events, *events)  # every event published twice
        wait_for(lambda: inbox_size(runtime) == 30 and queue_depth(runtime, runtime.queues.main_name) == 0,
                 timeout=30, message="every copy to be consumed")
        assert counter(runtime, "dup") == 30
    finally:
        stop.set()


def test_a_failing_message_is_dead_lettered_after_bounded_retries_while_the_next_are_processed(runtime):
    consumers, stop = start_consumers(runtime)
    try:
        poison = make_event("toys.toy-counted", {"counter": "poison", "fail": True})
        healthy = [make_event("toys.toy-counted", {"counter": "healthy"}) for _ in range(5)]
        publish(runtime, poison, *healthy)
        wait_for(lambda: counter(runtime, "healthy") == 5, message="the messages behind the poison one")
        letters = wait_for(lambda: dead_letters.list_dead_letters(runtime.settings.broker_url, runtime.queues, runtime.broker_users),
                           timeout=20, message="the poison message in the dead-letter queue")
        assert [letter.event_id for letter in letters] == [str(poison.id)]
        assert letters[0].attempts == len(runtime.settings.retry_delays) + 1
        assert "FlakyHandlerError" in letters[0].error
        assert counter(runtime, "poison") == 0

        handlers.FAULT["enabled"] = False  # the bug is fixed and deployed
        replayed = dead_letters.replay(runtime.settings.broker_url, runtime.queues, runtime.broker_users)
        assert [letter.event_id for letter in replayed] == [str(poison.id)]
        wait_for(lambda: counter(runtime, "poison") == 1, message="the replayed message to apply")
        assert dead_letters.list_dead_letters(runtime.settings.broker_url, runtime.queues, runtime.broker_users) == []
    finally:
        stop.set()


def test_the_consumer_reconnects_after_its_connection_is_closed_under_it(runtime, broker_proxy, amqp_url):
    consumers, stop = start_consumers(runtime, broker_url=broker_proxy.url(amqp_url))
    try:
        publish(runtime, make_event("toys.toy-counted", {"counter": "reconnect"}))
        wait_for(lambda: counter(runtime, "reconnect") == 1)
        made = broker_proxy.connections_made
        broker_proxy.drop_connections()
        publish(runtime, make_event("toys.toy-counted", {"counter": "reconnect"}))
        wait_for(lambda: counter(runtime, "reconnect") == 2, timeout=30, message="a message after the reconnect")
        assert broker_proxy.connections_made > made
    finally:
        stop.set()


def test_the_broker_dead_letters_a_message_that_keeps_killing_its_worker(make_runtime, pg_url, amqp_url):
    from kit_toy_service.service import SERVICE
    runtime = make_runtime(SERVICE, database_url=pg_url, broker_url=amqp_url, delivery_limit=3)
    with open_connection(amqp_url) as connection:
        runtime.queues.declare(connection)
    event = make_event("toys.toy-counted", {"counter": "crash"})
    publish(runtime, event)
    # A worker that dies mid-message never acks: the broker takes the message
    # back each time. Past the delivery limit it goes to the dead letters.
    for _ in range(5):
        with open_connection(amqp_url) as connection:
            message = Queue(runtime.queues.main_name, no_declare=True)(connection.channel()).get(no_ack=False)
            if message is None:
                break
            # connection closes without an ack, like a killed process
    letters = wait_for(lambda: dead_letters.list_dead_letters(amqp_url, runtime.queues, runtime.broker_users),
                       message="the message in the dead-letter queue")
    assert letters[0].event_id == str(event.id) and letters[0].dead_lettered_by_broker
    # Dead-lettered by the broker, the message keeps its publisher's user_id.
    assert letters[0].published_by == runtime.settings.broker_user_of("toys")


def test_a_burst_is_settled_whole_by_its_one_ack(runtime):
    """A burst with an unreadable message in the middle: after it is applied,
    nothing of it is left unacked (closing the consumer would hand an
    unacked message back to the queue)."""
    consumers, stop = start_consumers(runtime)
    healthy = [make_event("toys.toy-counted", {"counter": "burst"}) for _ in range(20)]
    publish(runtime, *healthy[:10])
    with Publisher(runtime.settings.broker_url, runtime.topology) as publisher:
        publisher.publish_to_queue(runtime.queues, queue_name=runtime.queues.main_name, body="not an envelope",
                                   event_id="unreadable", event_type="toys.toy-counted")
    publish(runtime, *healthy[10:])
    wait_for(lambda: counter(runtime, "burst") == 20, message="the burst to be applied")
    wait_for(lambda: dead_letters.list_dead_letters(runtime.settings.broker_url, runtime.queues, runtime.broker_users),
             message="the unreadable message in the dead-letter queue")
    stop.set()
    wait_for(lambda: not consumers[0].connected.is_set(), message="the consumer to close its connection")
    assert queue_depth(runtime, runtime.queues.main_name) == 0
    assert [letter.event_id for letter in dead_letters.list_dead_letters(
        runtime.settings.broker_url, runtime.queues, runtime.broker_users)] == ["unreadable"]


def test_a_worker_runs_its_consumers_side_by_side_and_each_event_applies_once(make_runtime, pg_url, amqp_url):
    runtime = make_runtime(SERVICE, database_url=pg_url, broker_url=amqp_url, consumer_threads=3)
    worker = Worker(runtime, relay=False, jobs=False).start()
    try:
        wait_for(lambda: all(consumer.connected.is_set() for consumer in worker.consumers),
                 message="every consumer to connect")
        assert queue_state(runtime, runtime.queues.main_name).consumer_count == 3
        publish(runtime, *[make_event("toys.toy-counted", {"counter": "side-by-side"}) for _ in range(60)])
        wait_for(lambda: counter(runtime, "side-by-side") == 60 and inbox_size(runtime) == 60, timeout=30,
                 message="every event applied")
        assert worker.alive()
    finally:
        worker.stop()


def test_inbox_records_of_bursts_on_postgresql_skip_what_was_applied(runtime):
    """The burst's inbox insert (two arrays on PostgreSQL): an event applied
    before, one twice in the same burst, and overlapping bursts of two
    consumers at once each apply exactly once."""
    consumer = runtime.consumer()

    def burst(events):
        return consumer.apply([consumer.decode(event.to_json()) for event in events])

    earlier = make_event("toys.toy-counted", {"counter": "pg-burst"})
    assert burst([earlier]) == ["applied"]
    twice = make_event("toys.toy-counted", {"counter": "pg-burst"})
    assert burst([earlier, twice, twice]) == ["duplicate", "applied", "duplicate"]
    assert counter(runtime, "pg-burst") == 2 and inbox_size(runtime) == 2
    with runtime.db.transaction() as session:
        recorded = session.execute(select(inbox_events.c.event_id, inbox_events.c.event_type,
                                          inbox_events.c.consumer)).all()
    assert sorted(recorded) == sorted([(earlier.id, earlier.type, runtime.service.name),
                                       (twice.id, twice.type, runtime.service.name)])

    shared = [make_event("toys.toy-counted", {"counter": "pg-overlap"}) for _ in range(40)]
    outcomes: list = []
    other = runtime.consumer()

    def apply_with(which, events):
        outcomes.extend(which.apply([which.decode(event.to_json()) for event in events]))
    threads = [threading.Thread(target=apply_with, args=(consumer, shared)),
               threading.Thread(target=apply_with, args=(other, list(reversed(shared))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["applied"] * 40 + ["duplicate"] * 40
    assert counter(runtime, "pg-overlap") == 40 and inbox_size(runtime) == 42
