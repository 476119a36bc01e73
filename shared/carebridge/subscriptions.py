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
"""
from __future__ import annotations

from typing import Callable, Iterable

from .events import registry

Handler = Callable[..., None]


class EventSubscriptions:
    def __init__(self) -> None:
        self._handlers: dict[tuple[str, int], list[Handler]] = {}

    def subscribe(self, event_type: str, version: int, handler: Handler) -> Handler:
        registry.schema(event_type, version)  # fails now, not at run time, for a typo
        self._handlers.setdefault((event_type, version), []).append(handler)
        return handler

    def handler(self, event_type: str, version: int = 1) -> Callable[[Handler], Handler]:
        def decorator(func: Handler) -> Handler:
            return self.subscribe(event_type, version, func)
        return decorator

    def include(self, other: "EventSubscriptions") -> "EventSubscriptions":
        for (event_type, version), handlers in other._handlers.items():
            for handler in handlers:
                self.subscribe(event_type, version, handler)
        return self

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
