"""A record dumped as its marshmallow schema dumps it, without marshmallow's
per-field machinery where the field kind is a plain one.

`schema.dump(record)` walks, for every field of every record, `serialize`,
`get_value`, the schema's accessor and `utils.get_value` before the field's
own `_serialize`: about 11 % of the CPU of a `GET /patients/{id}`. `dump`
gives exactly what `schema.dump` gives (the same keys in the same order, the
same values of the same types, hence byte-identical JSON) from a plan worked
out once per schema instance:

* the value is read as marshmallow reads it (`obj[key]` for an object with
  `__getitem__`, falling back to `getattr`; `getattr` otherwise), with the
  field's `attribute`, `data_key` and `dump_default`;
* for String, UUID, Integer, Boolean, Date, DateTime, AwareDateTime,
  NaiveDateTime, Nested and List (and subclasses that do not change
  `_serialize`, such as the services' trimmed strings), a value of the plain
  type is converted as the field would (a str stays, a UUID becomes its str,
  an int stays, a date becomes its ISO text); any other value is handed to
  the field's own `_serialize`;
* any other field kind (Method, Function, Pluck, a field with its own
  `_serialize` or `get_value`, a dotted attribute) is serialised by
  marshmallow itself (`field.serialize`), and a schema with dump hooks,
  its own accessor or a dict class other than dict is dumped by
  `schema.dump` whole; a `many` schema dumps each item by the plan.

Every API response goes through it: the kit's `Blueprint.response` hands
flask-smorest its schema with `dump` planned (`planned`), so a view returns
its records and the endpoint's schema dumps them, the one way. `dump(schema,
obj)` is for a view that builds its own response (an ETag beside the body).

Held equal to marshmallow by shared/tests/unit/test_dumping.py over every
field kind, None, missing values and defaults.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Callable

import marshmallow as ma
from marshmallow import fields
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from marshmallow.utils import missing

__all__ = ["dump", "dumper", "planned"]

_PLAN = "_carebridge_dumper"
_BY_MARSHMALLOW = object()


def dump(schema: ma.Schema, obj: Any):
    """`schema.dump(obj)`, the same result, faster for plain field kinds."""
    try:
        fn = schema.__dict__[_PLAN]
    except KeyError:
        fn = dumper(schema)
    return fn(obj)


def dumper(schema: ma.Schema) -> Callable[[Any], Any]:
    """The function `obj -> schema.dump(obj)` for this schema instance (built
    once and kept on the instance; fields must not change after the first
    dump, which marshmallow schemas never do)."""
    fn = schema.__dict__.get(_PLAN)
    if fn is None:
        fn = _compile(schema)
        schema.__dict__[_PLAN] = fn
    return fn


def _read(obj, key):
    # marshmallow.utils._get_value_for_key, with `missing` as the default.
    if not hasattr(obj, "__getitem__"):
        return getattr(obj, key, missing)
    try:
        return obj[key]
    except (KeyError, IndexError, TypeError, AttributeError):
        return getattr(obj, key, missing)


def _same(kind: type, base: type, method: str) -> bool:
    return getattr(kind, method) is getattr(base, method)


def _converter(field: fields.Field, attr: str) -> Callable[[Any, Any], Any] | None:
    """(value, obj) -> what `field._serialize(value, attr, obj)` gives, for a
    value that is present; None if this field kind is not handled here."""
    kind = type(field)
    serialize = field._serialize

    def fallback(value, obj):
        return serialize(value, attr, obj)

    if isinstance(field, fields.String) and _same(kind, fields.String, "_serialize"):
        def convert(value, obj):
            return value if type(value) is str else serialize(value, attr, obj)
    elif isinstance(field, fields.UUID) and _same(kind, fields.UUID, "_serialize"):
        def convert(value, obj):
            return str(value) if type(value) is uuid.UUID else serialize(value, attr, obj)
    elif (isinstance(field, fields.Integer) and _same(kind, fields.Integer, "_serialize")
          and _same(kind, fields.Integer, "_format_num") and not field.as_string):
        def convert(value, obj):
            return value if type(value) is int else serialize(value, attr, obj)
    elif isinstance(field, fields.Boolean) and _same(kind, fields.Boolean, "_serialize"):
        def convert(value, obj):
            return value if type(value) is bool else serialize(value, attr, obj)
    elif isinstance(field, (fields.DateTime, fields.Date)) and kind._serialize is fields.Date._serialize:
        format_func = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
        if format_func is None:
            return fallback
        plain = dt.datetime if isinstance(field, fields.DateTime) else dt.date

        def convert(value, obj):
            return format_func(value) if type(value) is plain else serialize(value, attr, obj)
    elif isinstance(field, fields.Nested) and _same(kind, fields.Nested, "_serialize"):
        schema = field.schema
        many = schema.many or field.many
        if not _plain_without_many(schema):
            return fallback
        one = _compile_fields(schema)
        if many:
            def convert(value, obj):
                if value is None:
                    return None
                if isinstance(value, list):  # an ORM relationship's list too
                    return [one(each) for each in value]
                return serialize(value, attr, obj)
        else:
            def convert(value, obj):
                return None if value is None else one(value)
    elif isinstance(field, fields.List) and _same(kind, fields.List, "_serialize"):
        inner = _converter(field.inner, attr)
        if inner is None:
            return fallback

        def convert(value, obj):
            if value is None:
                return None
            if isinstance(value, list):
                return [inner(each, obj) for each in value]
            return serialize(value, attr, obj)
    else:
        return None
    return convert


def _plain_without_many(schema: ma.Schema) -> bool:
    return (not schema._hooks[PRE_DUMP] and not schema._hooks[POST_DUMP]
            and type(schema).get_attribute is ma.Schema.get_attribute and schema.dict_class is dict)


def _compile_fields(schema: ma.Schema) -> Callable[[Any], dict]:
    """obj -> schema._serialize(obj, many=False) for a plain schema."""
    steps = []
    for attr_name, field in schema.dump_fields.items():
        key = field.data_key if field.data_key is not None else attr_name
        source = attr_name if field.attribute is None else field.attribute
        convert = None
        if (field._CHECK_ATTRIBUTE and "." not in source
                and type(field).get_value is fields.Field.get_value
                and type(field).serialize is fields.Field.serialize):
            convert = _converter(field, attr_name)
        if convert is None:
            steps.append((key, None, _BY_MARSHMALLOW, _marshmallow_step(schema, field, attr_name)))
        else:
            steps.append((key, source, field.dump_default, convert))

    def run(obj):
        ret = {}
        for key, source, default, convert in steps:
            if default is _BY_MARSHMALLOW:
                value = convert(obj)
                if value is missing:
                    continue
                ret[key] = value
                continue
            value = _read(obj, source)
            if value is missing:
                value = default() if callable(default) else default
                if value is missing:
                    continue
            ret[key] = None if value is None else convert(value, obj)
        return ret
    return run


def _marshmallow_step(schema: ma.Schema, field: fields.Field, attr_name: str):
    accessor = schema.get_attribute

    def step(obj):
        return field.serialize(attr_name, obj, accessor=accessor)
    return step


def _compile(schema: ma.Schema) -> Callable[[Any], Any]:
    marshmallows = type(schema).dump.__get__(schema)  # not a `dump` planned on the instance
    if not _plain_without_many(schema):
        return marshmallows
    one = _compile_fields(schema)
    if not schema.many:
        return one

    def each(objs):
        # marshmallow dumps None under a `many` schema as one empty record.
        return marshmallows(objs) if objs is None else [one(obj) for obj in objs]
    return each


def planned(schema):
    """`schema` itself, its `dump` now the plan's (a `many=` other than the
    schema's own still goes to marshmallow); anything that is not a schema
    instance (None, a class, a reference by name) unchanged."""
    if isinstance(schema, ma.Schema) and "dump" not in schema.__dict__:
        plan, own_many, marshmallows = dumper(schema), schema.many, type(schema).dump.__get__(schema)

        def dump_(obj, *, many=None):
            return plan(obj) if many is None or many == own_many else marshmallows(obj, many=many)
        schema.dump = dump_
    return schema
