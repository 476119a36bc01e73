"""The envelope every CareBridge event travels in (docs/architecture.md, Events)."""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

EVENT_TYPE_PATTERN = r"^[a-z]+\.[a-z]+(-[a-z]+)*$"


class EnvelopeSchema(ma.Schema):
    class Meta:
        # A consumer ignores fields it does not know (a newer producer may add
        # some); the producer side builds envelopes only through `Event`.
        unknown = ma.EXCLUDE

    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Regexp(EVENT_TYPE_PATTERN))
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True, format="iso")
    producer = fields.String(required=True, validate=validate.Length(min=1, max=40))
    correlation_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    causation_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=128))
    data = fields.Dict(required=True)


_envelope_schema = EnvelopeSchema()
_EVENT_TYPE = re.compile(EVENT_TYPE_PATTERN)


def _well_formed(raw: dict) -> Event | None:
    """The envelope, if `raw` is plainly valid; None if anything is off, so
    that the schema looks at it and says what. The same rules as
    EnvelopeSchema, checked directly: every consumed message goes through
    here, and the schema's per-field machinery cost a fifth of a consumer's
    time."""
    try:
        event_id, event_type, version = raw["id"], raw["type"], raw["version"]
        occurred_at, producer, correlation_id = raw["occurred_at"], raw["producer"], raw["correlation_id"]
        causation_id, data = raw.get("causation_id"), raw["data"]
    except KeyError:
        return None
    if not (isinstance(event_id, str) and isinstance(event_type, str) and type(version) is int
            and isinstance(occurred_at, str) and isinstance(producer, str) and isinstance(correlation_id, str)
            and (causation_id is None or isinstance(causation_id, str)) and type(data) is dict):
        return None
    if not (version >= 1 and _EVENT_TYPE.match(event_type) and 1 <= len(producer) <= 40
            and 1 <= len(correlation_id) <= 128 and (causation_id is None or len(causation_id) <= 128)):
        return None
    try:
        parsed_id = uuid.UUID(event_id)
        moment = datetime.fromisoformat(occurred_at)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return Event(id=parsed_id, type=event_type, version=version, occurred_at=moment, producer=producer,
                 correlation_id=correlation_id, causation_id=causation_id, data=data)


class MalformedEvent(ValueError):
    """A message that is not a valid CareBridge envelope (it can never succeed)."""


@dataclass(frozen=True)
class Event:
    id: uuid.UUID
    type: str
    version: int
    occurred_at: datetime
    producer: str
    correlation_id: str
    causation_id: str | None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def routing_key(self) -> str:
        return self.type

    def to_dict(self) -> dict[str, Any]:
        # What `_envelope_schema.dump(self)` gives, without the schema's
        # per-field machinery (every published event goes through here).
        return {"id": str(self.id), "type": self.type, "version": self.version,
                "occurred_at": self.occurred_at.isoformat(), "producer": self.producer,
                "correlation_id": self.correlation_id, "causation_id": self.causation_id,
                "data": dict(self.data)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_dict(cls, raw: Any) -> "Event":
        if not isinstance(raw, dict):
            raise MalformedEvent("the message body is not a JSON object")
        event = _well_formed(raw)
        if event is not None:
            return event
        try:
            loaded = _envelope_schema.load(raw)
        except ma.ValidationError as error:
            raise MalformedEvent(f"invalid envelope: {sorted(error.messages)}") from None
        return cls(**loaded)

    @classmethod
    def from_json(cls, body: str | bytes) -> "Event":
        try:
            raw = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise MalformedEvent("the message body is not JSON") from None
        return cls.from_dict(raw)
