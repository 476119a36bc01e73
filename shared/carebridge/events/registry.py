"""Every event type and version has exactly one schema, registered here.

Producers validate `data` strictly before an event enters the outbox (an
unknown field is a bug in the producer). Consumers validate what they receive
leniently (unknown fields are dropped, so a producer may add fields without a
new version).
"""
from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Callable

import marshmallow as ma

from .plain_data import PlainSchema


class UnknownEventType(LookupError):
    pass


class InvalidEventData(ValueError):
    def __init__(self, event_type: str, version: int, errors: dict):
        super().__init__(f"{event_type} v{version} data is invalid: {errors}")
        self.event_type = event_type
        self.version = version
        self.errors = errors


# A type registered as "*.<event-name>" is one the kit defines and every
# service publishes as its own type, "<service>.<event-name>" (consumers bind
# to it with the same wildcard, so every producer's reaches them).
EVERY_PRODUCER = "*"


def for_every_producer(event_type: str) -> str:
    """The wildcard form of a type ("*.audit-checkpointed")."""
    return EVERY_PRODUCER + "." + event_type.split(".", 1)[-1]


class EventSchemaRegistry:
    def __init__(self) -> None:
        self._schemas: dict[tuple[str, int], type[ma.Schema]] = {}
        # Schema instances are reusable (these keep no per-call state) and
        # building one deep-copies its fields: one per type, version and mode.
        self._instances: dict[tuple[str, int, str], ma.Schema] = {}
        # The same for plainly valid data, without marshmallow's per-field
        # machinery (None: the schema has something only marshmallow handles).
        self._plain: dict[tuple[str, int, str], PlainSchema | None] = {}

    def _instance(self, event_type: str, version: int, unknown: str) -> ma.Schema:
        if (event_type, version) not in self._schemas and self.knows(event_type, version):
            event_type = for_every_producer(event_type)
        key = (event_type, version, unknown)
        schema = self._instances.get(key)
        if schema is None:
            schema = self._instances[key] = self.schema(event_type, version)(unknown=unknown)
        return schema

    def _plain_instance(self, event_type: str, version: int, unknown: str) -> PlainSchema | None:
        key = (event_type, version, unknown)
        if key not in self._plain:
            self._plain[key] = PlainSchema.of(self._instance(event_type, version, unknown))
        return self._plain[key]

    def register(self, event_type: str, version: int) -> Callable[[type[ma.Schema]], type[ma.Schema]]:
        def decorator(schema_class: type[ma.Schema]) -> type[ma.Schema]:
            key = (event_type, version)
            if key in self._schemas:
                raise ValueError(f"{event_type} v{version} is registered twice")
            self._schemas[key] = schema_class
            schema_class.event_type = event_type
            schema_class.event_version = version
            return schema_class
        return decorator

    def schema(self, event_type: str, version: int) -> type[ma.Schema]:
        found = self._schemas.get((event_type, version)) or self._schemas.get((for_every_producer(event_type), version))
        if found is None:
            raise UnknownEventType(f"no schema for {event_type} v{version}")
        return found

    def knows(self, event_type: str, version: int) -> bool:
        return ((event_type, version) in self._schemas
                or (for_every_producer(event_type), version) in self._schemas)

    def types(self) -> list[tuple[str, int]]:
        return sorted(self._schemas)

    def latest_version(self, event_type: str) -> int:
        versions = [v for (t, v) in self._schemas if t in (event_type, for_every_producer(event_type))]
        if not versions:
            raise UnknownEventType(f"no schema for {event_type}")
        return max(versions)

    def validate_for_publish(self, event_type: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
        """The JSON-ready form of `data`, or InvalidEventData."""
        jsonish = to_jsonish(data)
        plain = self._plain_instance(event_type, version, ma.RAISE)
        loaded = plain.load(jsonish) if plain is not None else None
        if loaded is not None:
            return plain.dump(loaded)
        schema = self._instance(event_type, version, ma.RAISE)
        try:
            loaded = schema.load(jsonish)
        except ma.ValidationError as error:
            raise InvalidEventData(event_type, version, error.messages) from None
        return schema.dump(loaded)

    def validate_on_receipt(self, event_type: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
        """`data` deserialised (UUIDs, datetimes, Decimals), unknown fields dropped."""
        plain = self._plain_instance(event_type, version, ma.EXCLUDE)
        loaded = plain.load(data) if plain is not None else None
        if loaded is not None:
            return loaded
        schema = self._instance(event_type, version, ma.EXCLUDE)
        try:
            return schema.load(data)
        except ma.ValidationError as error:
            raise InvalidEventData(event_type, version, error.messages) from None


# Exactly these types are JSON primitives already (not their subclasses: a
# str- or int-valued Enum member goes through its value below).
_PRIMITIVES = frozenset({str, int, float, bool, type(None)})


def to_jsonish(value: Any) -> Any:
    """Python values as the JSON primitives a schema loads from: producers may
    hand over UUIDs, datetimes and Decimals; every key is kept, so an
    unexpected field is still caught by the strict load that follows."""
    kind = type(value)
    # The common leaves first, by exact type: one set lookup where the
    # isinstance chain below asked five questions of every string.
    if kind in _PRIMITIVES:
        return value
    if kind is uuid.UUID:
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonish(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonish(v) for v in value]
    if isinstance(value, enum.Enum):
        return to_jsonish(value.value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    return value


registry = EventSchemaRegistry()
