"""Event contracts between the services (docs/architecture.md, Events).

- Every event a consumer subscribes to exists in the producer's catalogue with
  the version the consumer expects, and its producer is a real service.
- A sample envelope of every type and version validates, both ways.
- Every consumer accepts an envelope with unknown fields (at the top and in
  `data`), and its handlers only read fields the producer's schema has: run on
  a sample of each subscribed event in the consumer's own runtime, a handler
  may refuse the event (an unknown patient, say) but must never trip over a
  missing or mistyped field.
"""
import json

import pytest

from carebridge.events import Event, registry
from carebridge.runtime.discovery import installed_services
from carebridge.testing import make_event
from support.samples import sample_data

SERVICES = installed_services()
SUBSCRIPTIONS = [(name, event_type, version)
                 for name, service in SERVICES.items()
                 for event_type, version in service.subscriptions.subscribed()]
ALL_TYPES = registry.types()


def concrete(event_type: str, consumer: str | None = None) -> str:
    """A kit type every service publishes as its own ("*.audit-checkpointed")
    as one service (not the consumer) publishes it."""
    if not event_type.startswith("*."):
        return event_type
    return next(name for name in SERVICES if name != consumer) + event_type[1:]


def test_every_service_is_installed():
    assert set(SERVICES) == {"patients", "careplans", "scheduling", "billing", "notifications", "monitoring"}


@pytest.mark.parametrize("consumer,event_type,version", SUBSCRIPTIONS)
def test_subscribed_events_exist_in_the_producers_catalogue(consumer, event_type, version):
    producer = event_type.split(".", 1)[0]
    # "*": a kit type every service publishes as its own (*.audit-checkpointed).
    assert producer in SERVICES or producer == "*", f"{consumer} listens to {event_type}, but no {producer} service exists"
    assert registry.knows(event_type, version), f"{consumer} expects {event_type} v{version}"


@pytest.mark.parametrize("event_type,version", ALL_TYPES)
def test_a_sample_of_every_event_validates_for_producer_and_consumer(event_type, version):
    schema = registry.schema(event_type, version)
    event_type = concrete(event_type)
    published = registry.validate_for_publish(event_type, version, sample_data(schema))
    event = make_event(event_type, published, version=version)
    received = Event.from_json(event.to_json())
    assert registry.validate_on_receipt(event_type, version, received.data)


@pytest.mark.parametrize("consumer,event_type,version", SUBSCRIPTIONS)
def test_consumers_accept_unknown_fields_and_read_only_known_ones(consumer, event_type, version, make_runtime):
    runtime = make_runtime(SERVICES[consumer])
    worker = runtime.consumer()
    event = make_event(concrete(event_type, consumer), sample_data(registry.schema(event_type, version)),
                       version=version)
    raw = event.to_dict()
    raw["added_by_a_newer_producer"] = {"trace": "x"}
    raw["data"]["field_from_the_future"] = "ignored"
    decoded, handlers = worker.decode(json.dumps(raw))
    assert "field_from_the_future" not in decoded.data
    outcome = worker.apply([(decoded, handlers)])[0]
    if isinstance(outcome, (KeyError, TypeError, AttributeError)):
        raise AssertionError(f"{consumer}'s handler for {event_type} v{version} reads data the schema "
                             f"does not promise: {outcome!r}") from outcome
