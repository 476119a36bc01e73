from . import catalogue  # noqa: F401  (registers every schema)
from .envelope import Event, MalformedEvent
from .registry import InvalidEventData, UnknownEventType, registry

__all__ = ["Event", "MalformedEvent", "InvalidEventData", "UnknownEventType", "registry"]
