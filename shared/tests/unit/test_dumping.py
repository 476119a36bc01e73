"""carebridge.web.dump gives exactly what marshmallow's schema.dump gives:
the same keys in the same order, the same values of the same types, the
same JSON, for every field kind, None, missing values and defaults."""
import datetime as dt
import decimal
import json
import uuid
from types import SimpleNamespace

import flask_smorest
import marshmallow as ma
import pytest
from flask import Flask
from marshmallow import fields, post_dump, pre_dump

from carebridge.web import Blueprint
from carebridge.web.dumping import dump, dumper, planned


class Trimmed(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Shouting(fields.String):
    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value).upper()


class Point(ma.Schema):
    system = fields.String()
    value = Trimmed()
    use = fields.String(allow_none=True)


class Address(ma.Schema):
    lines = fields.List(Trimmed())
    city = fields.String()
    rank = fields.Integer(dump_default=7)


class Point_s(ma.Schema):
    system = fields.String()


class Everything(ma.Schema):
    id = fields.UUID()
    text = fields.String()
    trimmed = Trimmed()
    shouting = Shouting()
    number = fields.Integer()
    number_text = fields.Integer(as_string=True)
    flag = fields.Boolean()
    born = fields.Date()
    at = fields.AwareDateTime()
    naive = fields.NaiveDateTime()
    stamp = fields.DateTime(format="timestamp")
    custom_format = fields.DateTime(format="%Y/%m/%d")
    points = fields.List(fields.Nested(Point))
    address = fields.Nested(Address, allow_none=True)
    many_points = fields.Nested(Point, many=True)
    only_system = fields.Nested(Point, only=("system",))
    plucked = fields.Pluck(Point, "system")
    tags = fields.List(fields.String())
    ids = fields.List(fields.UUID())
    method = fields.Method("double")
    function = fields.Function(lambda obj: "f")
    renamed = fields.String(data_key="renamedKey")
    elsewhere = fields.String(attribute="other")
    dotted = fields.String(attribute="address.city")
    defaulted = fields.String(dump_default="dflt")
    defaulted_callable = fields.List(fields.String(), dump_default=list)
    decimal_ = fields.Decimal(as_string=True, data_key="decimal")
    float_ = fields.Float(data_key="float")
    raw = fields.Raw()
    mapping = fields.Dict(keys=fields.String(), values=fields.Integer())
    secret = fields.String(load_only=True)

    def double(self, obj):
        return 2


class Listy(list):
    pass


WHEN = dt.datetime(2026, 12, 7, 11, 50, 1, 123456, tzinfo=dt.timezone.utc)


def full_record(**changes):
    values = dict(
        id=uuid.UUID("12345678-1234-5678-1234-567812345678"), text="Ada", trimmed="Lovelace", shouting="quiet",
        number=42, number_text=5, flag=True, born=dt.date(1815, 12, 10), at=WHEN,
        naive=dt.datetime(2026, 1, 2, 3, 4, 5), stamp=WHEN, custom_format=WHEN,
        points=[{"system": "phone", "value": "+15551234567", "use": None}, {"system": "email", "value": "a@b.c"}],
        address={"lines": ["1 Main St", "Flat 2"], "city": "Springfield"},
        many_points=[{"system": "sms", "value": "+1", "use": "mobile"}], only_system={"system": "x", "value": "y"},
        plucked={"system": "phone"}, tags=["a", "b"], ids=[uuid.UUID(int=1), uuid.UUID(int=2)],
        renamed="r", other="o", defaulted="given", defaulted_callable=["given"], decimal_=decimal.Decimal("1.50"),
        float_=1.5, raw={"any": [1, "thing"]}, mapping={"a": 1}, secret="never dumped")
    values.update(changes)
    return values


CASES = {
    "full object": SimpleNamespace(**full_record()),
    "full dict": full_record(),
    "all None": SimpleNamespace(**{k: None for k in full_record()}),
    "nothing there": SimpleNamespace(),
    "empty dict": {},
    "odd types": SimpleNamespace(**full_record(
        text=12, trimmed=b"bytes", number=3.0, flag=0, born=WHEN, at=WHEN.replace(tzinfo=None), id="not-a-uuid", tags=("t",),
        points=({"system": "phone", "value": 1},), many_points=(), ids=["plain text"], number_text=True)),
    "int subclass": SimpleNamespace(**full_record(number=True)),
    "nested objects": SimpleNamespace(**full_record(
        address=SimpleNamespace(lines=["x"], city="y", rank=3), points=[SimpleNamespace(system="s", value="v")])),
    "list with None": SimpleNamespace(**full_record(tags=["a", None], ids=[None], points=[None])),
    "a text where a date belongs": SimpleNamespace(**full_record(at="not a date")),
    "dict keys that are dict methods": {"text": "t", "items": "i"},
    "list subclasses (an ORM relationship's list)": SimpleNamespace(**full_record(
        points=Listy([SimpleNamespace(system="s", value="v")]), many_points=Listy([{"system": "x"}]),
        tags=Listy(["a"]), ids=Listy([uuid.UUID(int=3)]))),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_field_kind_dumps_as_marshmallow_does(case):
    schema = Everything()
    obj = CASES[case]
    try:
        expected = schema.dump(obj)
    except Exception as error:  # the same failure, then
        with pytest.raises(type(error)):
            dump(Everything(), obj)
        return
    got = dump(schema, obj)
    assert list(got) == list(expected)
    assert got == expected
    assert [type(v) for v in got.values()] == [type(v) for v in expected.values()]
    assert json.dumps(got) == json.dumps(expected)
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)


def test_the_plan_is_built_once_per_schema():
    schema = Everything()
    assert dumper(schema) is dumper(schema)
    assert dumper(schema) is not dumper(Everything())


class Hooked(ma.Schema):
    text = fields.String()

    @pre_dump
    def upper(self, obj, **kwargs):
        return {"text": obj["text"].upper()}

    @post_dump
    def tagged(self, data, **kwargs):
        return {**data, "tagged": True}


class OwnAccessor(ma.Schema):
    text = fields.String()

    def get_attribute(self, obj, attr, default):
        return "accessed"


class WithHookedNested(ma.Schema):
    inner = fields.Nested(Hooked)
    inners = fields.List(fields.Nested(Hooked))


@pytest.mark.parametrize("schema, obj", [
    (Hooked(), {"text": "a"}),
    (OwnAccessor(), {"text": "a"}),
    (WithHookedNested(), {"inner": {"text": "b"}, "inners": [{"text": "c"}]}),
    (Everything(only=("id", "address"), exclude=("address",)), full_record()),
])
def test_schemas_with_hooks_or_accessors_stay_marshmallows_and_only_is_kept(schema, obj):
    assert dump(schema, obj) == schema.dump(obj)
    assert json.dumps(dump(schema, obj)) == json.dumps(schema.dump(obj))


@pytest.mark.parametrize("objs", [[SimpleNamespace(**full_record()), full_record(), {}], [], (), None])
def test_a_many_schema_dumps_each_item_by_the_plan_as_marshmallow_does(objs):
    schema = Everything(many=True)
    assert json.dumps(dump(schema, objs)) == json.dumps(Everything(many=True).dump(objs))


def test_a_planned_schema_dumps_as_before_and_another_many_goes_to_marshmallow():
    one, many = planned(Everything()), planned(Everything(many=True))
    record = SimpleNamespace(**full_record())
    assert planned(one) is one and planned(None) is None and planned(Everything) is Everything
    assert json.dumps(one.dump(record)) == json.dumps(Everything().dump(record))
    assert json.dumps(many.dump([record])) == json.dumps(Everything(many=True).dump([record]))
    assert one.dump([record], many=True) == Everything().dump([record], many=True)
    assert many.dump(record, many=False) == Everything().dump(record)
    assert one.dumps(record) == Everything().dumps(record)


def test_the_kit_blueprint_answers_with_the_plan_the_json_marshmallow_would(monkeypatch):
    app = Flask(__name__)
    app.config.update(API_TITLE="toy", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    blp = Blueprint("toy", __name__)
    record = SimpleNamespace(**full_record())

    @blp.route("/one")
    @blp.response(200, Everything)
    def one():
        return record

    @blp.route("/many")
    @blp.response(200, Everything(many=True))
    def many():
        return [record, full_record()]

    flask_smorest.Api(app).register_blueprint(blp)
    expected_one, expected_many = Everything().dump(record), Everything(many=True).dump([record, full_record()])
    whole_record_dumps = []
    marshmallows = Everything._serialize
    monkeypatch.setattr(Everything, "_serialize", lambda self, obj, **kw: whole_record_dumps.append(obj)
                        or marshmallows(self, obj, **kw))
    client = app.test_client()
    assert client.get("/one").get_json() == json.loads(json.dumps(expected_one))
    assert client.get("/many").get_json() == json.loads(json.dumps(expected_many))
    assert whole_record_dumps == []  # field by field by the plan, not by marshmallow's Schema._serialize
