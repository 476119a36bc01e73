"""Which events a service reacts to: one line per event type and version,
all in the service's `events/subscriptions.py` (eShop's AddSubscription):

    subscriptions = EventSubscriptions()
    subscriptions.subscribe("scheduling.appointment-missed", 1, appointment_missed.open_outreach_task)

A handler is a plain function in `events/handlers/<event>.py`. It receives
the consumer's session (its work commits together with the inbox record, or
not at all) and the received event, whose `data` has been validated against
the catalogue schema (UUIDs, datetimes, Decimals). Several handlers may
subscribe to the same event; they run in order in one transaction.

A handler that can apply several events of its type at once (fewer queries
and inserts per event on a busy queue) subscribes with `batch=True` and
receives a list of events instead of one:

    subscriptions.subscribe("careplans.plan-updated", 1, plan_updated.tell_team, batch=True)

The consumer hands it runs of consecutive events of that type and version
from one prefetched burst, in order (a single event when it has to apply them
one by one). Its result must be what applying them one at a time would give.
"""
from __future__ import annotations

from typing import Callable, Iterable

from .events import registry
from .events.registry import for_every_producer

Handler = Callable[..., None]


class EventSubscriptions:
    def __init__(self) -> None:
        self._handlers: dict[tuple[str, int], list[Handler]] = {}
        self._batch_handlers: set[Handler] = set()

    def subscribe(self, event_type: str, version: int, handler: Handler, *, batch: bool = False) -> Handler:
        registry.schema(event_type, version)  # fails now, not at run time, for a typo
        self._handlers.setdefault((event_type, version), []).append(handler)
        if batch:
            self._batch_handlers.add(handler)
        return handler

    def takes_batches(self, handler: Handler) -> bool:
        """Whether `handler` receives a list of events rather than one."""
        return handler in self._batch_handlers

    def handlers_for(self, event_type: str, version: int) -> list[Handler]:
        """The handlers of the type, and of its kit-wide form ("*.<name>",
        subscribed for every producer's)."""
        handlers = list(self._handlers.get((event_type, version), ()))
        if for_every_producer(event_type) != event_type:
            handlers += self._handlers.get((for_every_producer(event_type), version), ())
        return handlers

    def handles_type(self, event_type: str) -> bool:
        return any(t in (event_type, for_every_producer(event_type)) for (t, _v) in self._handlers)

    def versions_of(self, event_type: str) -> list[int]:
        return sorted(v for (t, v) in self._handlers if t in (event_type, for_every_producer(event_type)))

    @property
    def routing_keys(self) -> list[str]:
        return sorted({event_type for (event_type, _v) in self._handlers})

    def subscribed(self) -> Iterable[tuple[str, int]]:
        return sorted(self._handlers)

    def __bool__(self) -> bool:
        return bool(self._handlers)
