"""The outbox relay against real RabbitMQ and PostgreSQL."""
import json
import threading
import uuid

import pytest
from kombu import Queue, binding
from sqlalchemy import select

from carebridge import outbox
from carebridge.bus import Publisher, open_connection
from carebridge.bus.publisher import BatchNotConfirmed
from carebridge.db.kit_tables import outbox_events
from carebridge.outbox import OutboxRelay
from carebridge.testing import wait_for


def write_events(runtime, count, counter="relay"):
    ids = []
    with runtime.db.transaction() as session:
        for _ in range(count):
            ids.append(str(outbox.record(session, "toys.toy-counted", {"counter": counter}).id))
    return ids


def relay_for(runtime, broker_url=None):
    return OutboxRelay(runtime.db, Publisher(broker_url or runtime.settings.broker_url, runtime.topology),
                       batch_size=25, poll_interval=0.01)


def run_relay(relay):
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    thread.start()
    return stop, thread


def test_an_event_written_through_the_outbox_arrives_at_a_bound_queue(runtime, tap):
    with runtime.db.transaction() as session:
        event = outbox.record(session, "toys.toy-created", {"toy_id": uuid.uuid4(), "patient_id": uuid.uuid4()})
    assert relay_for(runtime).publish_batch() == 1
    messages = wait_for(tap, message="the event at the bound queue")
    assert len(messages) == 1
    message = messages[0]
    assert message.properties["message_id"] == str(event.id)
    assert message.delivery_info["routing_key"] == "toys.toy-created"
    assert message.properties["delivery_mode"] == 2
    # What consumers read (identity.py, consumer.py), as kombu's Producer.publish sent it.
    assert message.properties["type"] == "toys.toy-created"
    assert message.properties["user_id"] == "guest"
    assert message.content_type == "application/json" and message.content_encoding == "utf-8"
    assert json.loads(message.body)["data"]["toy_id"] == event.data["toy_id"]
    assert runtime.outbox_backlog() == 0


def test_a_relay_started_while_the_broker_is_down_publishes_everything_once_it_is_back(runtime, tap, broker_proxy, amqp_url):
    broker_proxy.cut()
    ids = write_events(runtime, 40)
    stop, thread = run_relay(relay_for(runtime, broker_proxy.url(amqp_url)))
    try:
        def attempted():
            with runtime.db.transaction() as session:
                return session.scalar(select(outbox_events.c.last_error).where(outbox_events.c.last_error.is_not(None)))
        wait_for(attempted, message="the relay to try and fail while the broker is away")
        assert runtime.outbox_backlog() == 40 and tap() == []
        broker_proxy.restore()
        wait_for(lambda: runtime.outbox_backlog() == 0, timeout=30, message="the backlog to drain")
    finally:
        stop.set()
        thread.join(10)
    received = []
    wait_for(lambda: received.extend(tap()) or len(received) >= 40, message="all 40 events at the queue")
    assert sorted(m.properties["message_id"] for m in received) == sorted(ids)


def test_two_relays_never_publish_a_row_twice(runtime, tap):
    ids = write_events(runtime, 400)
    relays = [run_relay(relay_for(runtime)) for _ in range(2)]
    try:
        wait_for(lambda: runtime.outbox_backlog() == 0, timeout=60, message="both relays to drain the outbox")
    finally:
        for stop, thread in relays:
            stop.set()
            thread.join(10)
    received = []
    wait_for(lambda: received.extend(tap()) or len(received) >= 400, message="400 messages")
    message_ids = [m.properties["message_id"] for m in received]
    assert len(message_ids) == 400 and sorted(set(message_ids)) == sorted(ids)


def unpublished(runtime):
    with runtime.db.transaction() as session:
        return session.execute(select(outbox_events.c.event_id, outbox_events.c.last_error,
                                      outbox_events.c.next_attempt_at, outbox_events.c.publish_attempts)
                               .where(outbox_events.c.published_at.is_(None))).all()


def test_an_event_no_queue_is_bound_to_stays_in_the_outbox_until_one_is(runtime, request, clock, caplog):
    """Published `mandatory`: the broker returns it instead of confirming and dropping it."""
    from carebridge.metrics import events_unroutable
    counted = events_unroutable.labels(runtime.db.service, "toys.toy-created")._value.get()
    with runtime.db.transaction() as session:
        event = outbox.record(session, "toys.toy-created", {"toy_id": uuid.uuid4(), "patient_id": uuid.uuid4()})
    relay = relay_for(runtime)
    assert relay.publish_batch() == 0
    [row] = unpublished(runtime)
    assert row.event_id == event.id and row.last_error == "unroutable" and row.publish_attempts == 1
    assert (row.next_attempt_at - clock.now()).total_seconds() == 30
    assert events_unroutable.labels(runtime.db.service, "toys.toy-created")._value.get() == counted + 1
    alert = [r for r in caplog.records if "ALERT" in r.getMessage()]
    assert alert and alert[0].event_id == str(event.id)
    assert relay.publish_batch() == 0, "not tried again before its time"

    clock.advance(seconds=31)
    assert relay.publish_batch() == 0
    [row] = unpublished(runtime)
    assert row.publish_attempts == 2 and (row.next_attempt_at - clock.now()).total_seconds() == 60

    tap = request.getfixturevalue("tap")    # a queue bound to the type at last
    clock.advance(seconds=61)
    assert relay.publish_batch() == 1
    assert unpublished(runtime) == []
    assert [m.properties["message_id"] for m in wait_for(tap, message="the event at the queue")] == [str(event.id)]


def test_a_type_nobody_consumes_yet_is_not_held_back(runtime, monkeypatch):
    from carebridge.outbox import relay as relay_module
    monkeypatch.setattr(relay_module, "NOT_CONSUMED_YET", frozenset({"toys.toy-created"}))
    with runtime.db.transaction() as session:
        outbox.record(session, "toys.toy-created", {"toy_id": uuid.uuid4(), "patient_id": uuid.uuid4()})
    assert relay_for(runtime).publish_batch() == 1
    assert unpublished(runtime) == []


def bound_queue(runtime, amqp_url, routing_key, **arguments):
    """A queue of this test bound to one type, with `arguments` (x-max-length...)."""
    connection = open_connection(amqp_url)
    runtime.topology.ensure_exchange(connection)
    queue = Queue(runtime.topology.name(f"only-{uuid.uuid4().hex[:8]}"),
                  bindings=[binding(runtime.topology.exchange, routing_key=routing_key)],
                  durable=False, auto_delete=False, queue_arguments=arguments or None)(connection.channel())
    queue.declare()
    return connection, queue


def test_a_message_the_broker_nacks_in_the_middle_of_a_batch_stays_in_the_outbox(runtime, amqp_url, request):
    """The whole batch is in flight before the relay waits for its confirms:
    the broker's nack of some (a full queue refusing them) leaves exactly
    those rows unpublished, the confirmed ones stamped, and they go out once
    there is room, once."""
    connection, full = bound_queue(runtime, amqp_url, "toys.toy-counted",
                                   **{"x-max-length": 2, "x-overflow": "reject-publish"})
    try:
        ids = write_events(runtime, 5)
        relay = relay_for(runtime)
        with pytest.raises(BatchNotConfirmed) as raised:
            relay.publish_batch()
        assert raised.value.confirmed == [True, True, False, False, False]
        rows = unpublished(runtime)
        assert sorted(str(row.event_id) for row in rows) == sorted(ids[2:])
        assert all(row.publish_attempts == 1 and row.last_error == "BatchNotConfirmed" for row in rows)
        assert sorted(m.properties["message_id"] for m in iter(lambda: full.get(no_ack=True), None)) == sorted(ids[:2])
    finally:
        full.delete()
        connection.release()
    tap = request.getfixturevalue("tap")
    assert relay_for(runtime).publish_batch() == 3
    assert unpublished(runtime) == []
    received = []
    wait_for(lambda: received.extend(tap()) or len(received) >= 3, message="the three nacked events")
    assert sorted(m.properties["message_id"] for m in received) == sorted(ids[2:])


def test_a_message_returned_early_in_a_batch_stays_in_the_outbox(runtime, amqp_url):
    """Returned as unroutable while the rest of its batch is still going out
    (the return is read while the relay waits for the batch's confirms, or
    earlier whenever py-amqp is asked to read): only that row waits, with its
    alert; the routed ones are stamped."""
    connection, queue = bound_queue(runtime, amqp_url, "toys.toy-counted")
    try:
        with runtime.db.transaction() as session:
            lost = outbox.record(session, "toys.toy-created", {"toy_id": uuid.uuid4(), "patient_id": uuid.uuid4()})
            routed = [str(outbox.record(session, "toys.toy-counted", {"counter": "mixed"}).id) for _ in range(300)]
        relay = OutboxRelay(runtime.db, Publisher(runtime.settings.broker_url, runtime.topology), batch_size=500)
        assert relay.publish_batch() == 300
        [row] = unpublished(runtime)
        assert row.event_id == lost.id and row.last_error == "unroutable" and row.publish_attempts == 1
        received = []
        wait_for(lambda: received.extend(iter(lambda: queue.get(no_ack=True), None)) or len(received) >= 300,
                 message="the routed events")
        assert [m.properties["message_id"] for m in received] == routed
    finally:
        queue.delete()
        connection.release()


def test_a_connection_lost_in_the_middle_of_a_batch_leaves_the_unconfirmed_rows_in_the_outbox(runtime, tap):
    """The socket fails after three of eight messages went out: nothing the
    broker did not confirm is stamped, the relay raises (and reconnects), and
    the next batch publishes every row that was left; a message that went
    out but whose confirm was never read goes again (at least once)."""
    ids = write_events(runtime, 8)
    publisher = Publisher(runtime.settings.broker_url, runtime.topology)
    relay = OutboxRelay(runtime.db, publisher, batch_size=25)
    _producer, _confirms = publisher._ensure_batch()
    channel = publisher._batch_producer.channel
    send_method, sent = channel.send_method, []

    def failing_send(*args, **kwargs):
        if len(sent) == 3:
            raise ConnectionResetError("connection reset by peer")
        sent.append(args)
        return send_method(*args, **kwargs)

    channel.send_method = failing_send
    with pytest.raises(ConnectionResetError):
        relay.publish_batch()
    left = {str(row.event_id) for row in unpublished(runtime)}
    assert set(ids[3:]) <= left, "no message that never went out is stamped"
    assert all(row.last_error == "ConnectionResetError" for row in unpublished(runtime))
    assert publisher._batch_connection is None, "the broken connection is dropped"
    assert relay.publish_batch() == len(left)
    assert unpublished(runtime) == []
    received = []
    wait_for(lambda: received.extend(tap()) or {m.properties["message_id"] for m in received} >= set(ids),
             message="every event at the queue")
    assert {m.properties["message_id"] for m in received} == set(ids)


def test_a_batch_on_a_closed_channel_publishes_nothing_and_stamps_nothing(runtime, tap):
    ids = write_events(runtime, 4)
    publisher = Publisher(runtime.settings.broker_url, runtime.topology)
    relay = OutboxRelay(runtime.db, publisher, batch_size=25)
    publisher._ensure_batch()
    publisher._batch_producer.channel.close()
    with pytest.raises(Exception):
        relay.publish_batch()
    assert sorted(str(row.event_id) for row in unpublished(runtime)) == sorted(ids)
    assert relay.publish_batch() == 4
    assert unpublished(runtime) == []


def test_an_outbox_row_on_postgresql_holds_the_event_as_written_and_only_if_committed(runtime, monkeypatch):
    """outbox.record writes its row as plain SQL on PostgreSQL: the same
    columns the table's Core insert wrote, the time in UTC, nothing left
    behind by a transaction that rolled back, and a naive time refused as
    the column's type refuses it."""
    from datetime import datetime, timezone
    with runtime.db.transaction() as session:
        event = outbox.record(session, "toys.toy-counted", {"counter": "written"})
    with runtime.db.transaction() as session:
        row = session.execute(select(outbox_events).where(outbox_events.c.event_id == event.id)).mappings().one()
    assert row["event_type"] == "toys.toy-counted" and row["payload"] == event.to_json()
    assert row["created_at"] == event.occurred_at and row["created_at"].tzinfo is not None
    assert row["published_at"] is None and row["publish_attempts"] == 0

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with runtime.db.transaction() as session:
            gone = outbox.record(session, "toys.toy-counted", {"counter": "rolled back"})
            raise Boom()
    with runtime.db.transaction() as session:
        assert session.scalar(select(outbox_events.c.position).where(outbox_events.c.event_id == gone.id)) is None

    from carebridge import clock as clock_module
    monkeypatch.setattr(clock_module, "now", lambda: datetime(2026, 12, 7, 12, 0))
    with pytest.raises(ValueError):
        with runtime.db.transaction() as session:
            outbox.record(session, "toys.toy-counted", {"counter": "naive"})
