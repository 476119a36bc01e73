"""Which events a service reacts to, one line per event type and version.

    subscriptions = EventSubscriptions()

    @subscriptions.handler("scheduling.appointment-missed", version=1)
    def open_outreach_task(session, event):
        ...

A handler receives the consumer's session (its work commits together with
the inbox record, or not at all) and the received event, whose `data` has
been validated against the catalogue schema (UUIDs, datetimes, Decimals).
Several handlers may subscribe to the same event; they run in order in one
transaction.

A handler that can apply several events of its type at once (fewer queries
and inserts per event on a busy queue) subscribes with `batch=True` and
receives a list of events instead of one:

    @subscriptions.handler("careplans.plan-updated", version=1, batch=True)
    def tell_team(session, events):
        ...

The consumer hands it runs of consecutive events of that type and version
from one prefetched burst, in order (a single event when it has to apply them
one by one). Its result must be what applying them one at a time would give.
"""
from __future__ import annotations

from typing import Callable, Iterable

from .events import registry

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

    def handler(self, event_type: str, version: int = 1, *, batch: bool = False) -> Callable[[Handler], Handler]:
        def decorator(func: Handler) -> Handler:
            return self.subscribe(event_type, version, func, batch=batch)
        return decorator

    def include(self, other: "EventSubscriptions") -> "EventSubscriptions":
        for (event_type, version), handlers in other._handlers.items():
            for handler in handlers:
                self.subscribe(event_type, version, handler, batch=handler in other._batch_handlers)
        return self

    def takes_batches(self, handler: Handler) -> bool:
        """Whether `handler` receives a list of events rather than one."""
        return handler in self._batch_handlers

    def handlers_for(self, event_type: str, version: int) -> list[Handler]:
        return list(self._handlers.get((event_type, version), ()))

    def handles_type(self, event_type: str) -> bool:
        return any(t == event_type for (t, _v) in self._handlers)

    def versions_of(self, event_type: str) -> list[int]:
        return sorted(v for (t, v) in self._handlers if t == event_type)

    @property
    def routing_keys(self) -> list[str]:
        return sorted({event_type for (event_type, _v) in self._handlers})

    def subscribed(self) -> Iterable[tuple[str, int]]:
        return sorted(self._handlers)

    def __bool__(self) -> bool:
        return bool(self._handlers)
