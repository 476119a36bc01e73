"""The plain path of event data checking (events/plain_data.py) gives exactly
what marshmallow gives, or steps aside: the same loaded value, the same dump,
the same refusal, for valid data and for every way of spoiling it."""
from __future__ import annotations

import uuid

import marshmallow as ma
import pytest
from marshmallow import fields, validate

import carebridge.events.catalogue  # noqa: F401  (registers every schema)
from carebridge.events.plain_data import PlainSchema
from carebridge.events.registry import InvalidEventData, registry


def _sample_value(field: fields.Field):
    """A value the field should take (None if this simple generator cannot make one)."""
    choices = [v.choices for v in field.validators if isinstance(v, validate.OneOf)]
    if type(field) is fields.UUID:
        return str(uuid.uuid4())
    if type(field) is fields.String:
        if choices:
            return list(choices[0])[0]
        lengths = [v for v in field.validators if isinstance(v, validate.Length)]
        return "x" * max([lengths[0].min or 1] if lengths else [1])
    if type(field) is fields.Integer:
        ranges = [v for v in field.validators if isinstance(v, validate.Range)]
        return int(ranges[0].min) if ranges and ranges[0].min is not None else 3
    if type(field) is fields.Boolean:
        return True
    if type(field) is fields.List:
        if isinstance(field.inner, fields.Nested):
            return []
        item = _sample_value(field.inner)
        return None if item is None else [item, item]
    return None


def _samples():
    for event_type, version in registry.types():
        schema = registry._instance(event_type, version, ma.RAISE)
        if PlainSchema.of(schema) is None:
            continue
        data = {name: _sample_value(field) for name, field in schema.fields.items()}
        try:
            schema.load(data)
        except ma.ValidationError:
            continue  # a validator this generator does not satisfy (a pattern)
        yield pytest.param(event_type, version, data, id=f"{event_type}-v{version}")


def _spoilt(data: dict):
    """The data, and every single change a producer's bug could make to it."""
    yield data
    yield {**data, "unexpected": "x"}
    for name, value in data.items():
        yield {key: v for key, v in data.items() if key != name}
        for other in (None, "5", 5, 0, -1, True, False, 2.5, [], ["goals"], {}, "", "NOT-A-UUID",
                      str(uuid.uuid4()).upper(), "active", [None], [5]):
            yield {**data, name: other}


def _marshmallow(event_type, version, unknown, data, dump):
    schema = registry._instance(event_type, version, unknown)
    try:
        loaded = schema.load(data)
    except ma.ValidationError:
        return "refused"
    return schema.dump(loaded) if dump else loaded


def _kit(call, *args):
    try:
        return call(*args)
    except InvalidEventData:
        return "refused"


SAMPLES = list(_samples())


def test_the_plain_path_covers_the_fan_out_events():
    covered = {param.values[0] for param in SAMPLES}
    assert "careplans.plan-updated" in covered


@pytest.mark.parametrize("event_type, version, data", SAMPLES)
def test_publishing_gives_what_marshmallow_gives(event_type, version, data):
    for candidate in _spoilt(data):
        assert _kit(registry.validate_for_publish, event_type, version, candidate) == \
            _marshmallow(event_type, version, ma.RAISE, candidate, dump=True), candidate


@pytest.mark.parametrize("event_type, version, data", SAMPLES)
def test_receiving_gives_what_marshmallow_gives(event_type, version, data):
    for candidate in _spoilt(data):
        received = _kit(registry.validate_on_receipt, event_type, version, candidate)
        expected = _marshmallow(event_type, version, ma.EXCLUDE, candidate, dump=False)
        assert received == expected, candidate
        if received != "refused":
            assert {key: type(value) for key, value in received.items()} == \
                {key: type(value) for key, value in expected.items()}


def test_plan_updated_is_checked_without_marshmallow(monkeypatch):
    data = {"plan_id": str(uuid.uuid4()), "patient_id": str(uuid.uuid4()), "care_team_id": None, "version": 2,
            "status": "active", "changed_sections": ["goals"], "patient_facing": False}

    def no_marshmallow(*args, **kwargs):
        raise AssertionError("marshmallow was asked")
    monkeypatch.setattr(ma.Schema, "load", no_marshmallow)
    received = registry.validate_on_receipt("careplans.plan-updated", 1, data)
    assert received["plan_id"] == uuid.UUID(data["plan_id"])
    assert received["activities_to_schedule"] == [] and received["by_system"] is False
    assert registry.validate_for_publish("careplans.plan-updated", 1, {**data, "plan_id": uuid.UUID(data["plan_id"])}) \
        == {**data, "author_id": None, "activities_to_schedule": [], "by_system": False, "section_changes": [],
            "monitoring_limits": []}


def test_what_it_is_unsure_of_goes_to_marshmallow():
    class WithNested(ma.Schema):
        items = fields.List(fields.Nested(ma.Schema.from_dict({"n": fields.Integer()})), load_default=list)
        name = fields.String(validate=validate.OneOf(("a", "b")))

    plain = PlainSchema.of(WithNested())
    assert plain.load({"items": [], "name": "a"}) == {"items": [], "name": "a"}
    assert plain.load({"items": [{"n": 1}]}) is None      # nested objects: marshmallow's
    assert plain.load({"name": "c"}) is None              # a failing validator: marshmallow says why
    assert plain.load({"name": b"a"}) is None             # not the plain type
    assert plain.load({"name": "a", "other": 1}) is None  # unknown key under RAISE

    class WithDate(ma.Schema):
        day = fields.Date()

    assert PlainSchema.of(WithDate()) is None
