"""Handlers that take a burst of events of their type at once (batch=True):
what they are handed, and that the result is what one-at-a-time would give,
failures and duplicates included."""
import pytest
from sqlalchemy import func, select

from carebridge.bus.consumer import EventConsumer
from carebridge.db.kit_tables import inbox_events
from carebridge.subscriptions import EventSubscriptions
from carebridge.testing import make_event
from kit_toy_service.models import Counter


class Refused(RuntimeError):
    pass


@pytest.fixture
def calls():
    return []


@pytest.fixture
def consumer(runtime, calls):
    def count_all(session, events):
        calls.append(("count_all", [event.data["counter"] for event in events]))
        for event in events:
            if event.data["fail"]:
                raise Refused(event.data["counter"])
            counter = session.scalar(select(Counter).where(Counter.name == event.data["counter"]))
            if counter is None:
                session.add(Counter(name=event.data["counter"], value=1))
                session.flush()
            else:
                counter.value += 1

    def one_at_a_time(session, event):
        calls.append(("one_at_a_time", str(event.data["toy_id"])))

    subscriptions = EventSubscriptions()
    subscriptions.subscribe("toys.toy-counted", 1, count_all, batch=True)
    subscriptions.subscribe("toys.toy-created", 1, one_at_a_time)

    return EventConsumer(runtime.service.name, runtime.db, subscriptions, runtime.queues, "memory://")


def counters(runtime):
    with runtime.db.transaction() as session:
        return dict(session.execute(select(Counter.name, Counter.value)).all())


def inbox_count(runtime):
    with runtime.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(inbox_events))


def burst(consumer, *events):
    return consumer.apply([consumer.decode(event.to_json()) for event in events])


def test_consecutive_events_of_a_type_reach_a_batch_handler_together(runtime, consumer, calls):
    created = make_event("toys.toy-created", {"toy_id": "3c0d9a4e-8a53-4b8e-9d0c-0d6a3f1f6b11",
                                              "patient_id": "6f1c2d3e-4b5a-4c7d-8e9f-a0b1c2d3e4f5"})
    outcomes = burst(consumer, make_event("toys.toy-counted", {"counter": "a"}),
                     make_event("toys.toy-counted", {"counter": "a"}),
                     make_event("toys.toy-counted", {"counter": "b"}), created,
                     make_event("toys.toy-counted", {"counter": "c"}))
    assert outcomes == ["applied"] * 5
    assert calls == [("count_all", ["a", "a", "b"]), ("one_at_a_time", created.data["toy_id"]),
                     ("count_all", ["c"])]
    assert counters(runtime) == {"a": 2, "b": 1, "c": 1}
    assert inbox_count(runtime) == 5


def test_one_failing_event_in_a_burst_keeps_the_others(runtime, consumer, calls):
    outcomes = burst(consumer, make_event("toys.toy-counted", {"counter": "ok-1"}),
                     make_event("toys.toy-counted", {"counter": "bad", "fail": True}),
                     make_event("toys.toy-counted", {"counter": "ok-2"}))
    assert outcomes[0] == "applied" and outcomes[2] == "applied"
    assert isinstance(outcomes[1], Refused)
    # Tried together first, then one at a time.
    assert calls == [("count_all", ["ok-1", "bad", "ok-2"]), ("count_all", ["ok-1"]), ("count_all", ["bad"]),
                     ("count_all", ["ok-2"])]
    assert counters(runtime) == {"ok-1": 1, "ok-2": 1}
    assert inbox_count(runtime) == 2  # the failed event is not marked applied: it will be retried


def test_duplicates_in_a_burst_and_from_before_run_once(runtime, consumer, calls):
    earlier = make_event("toys.toy-counted", {"counter": "x"})
    assert burst(consumer, earlier) == ["applied"]
    twice = make_event("toys.toy-counted", {"counter": "y"})
    assert burst(consumer, earlier, twice, twice) == ["duplicate", "applied", "duplicate"]
    assert counters(runtime) == {"x": 1, "y": 1}
    assert inbox_count(runtime) == 2
