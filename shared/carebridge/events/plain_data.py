"""Event data checked without marshmallow's per-field machinery, when it is
plainly valid.

Every event goes through its schema twice (strictly when it is written to the
outbox, leniently when it is consumed), and marshmallow's load and dump were
about a third of the CPU a service spends writing an event. Most event data
is a flat mapping of identifiers, codes, numbers and flags: for a schema made
only of such fields (UUID, String, Integer, Boolean, lists of them), a
`PlainSchema` checks the data with the fields' own validators and gives
exactly what marshmallow would. Anything it is not sure of (a field kind it
does not know, a value of a type other than the field's plain one, a
validator or a required field that fails, an unknown key under RAISE, a
non-empty list of nested objects) makes it answer `None`, and the caller
asks marshmallow, which then says what is wrong or gives the value: the
rules, the error messages and the results stay marshmallow's.
"""
from __future__ import annotations

import uuid
from typing import Any, Callable

import marshmallow as ma
from marshmallow import fields
from marshmallow.utils import missing

# Not plainly valid: marshmallow decides.
_UNSURE = object()


def _loader_of(field: fields.Field) -> Callable[[Any], Any] | None:
    """value -> loaded value or _UNSURE, for a value that is present and not
    None; None if this kind of field is not handled here."""
    if field.pre_load or field.post_load or field.data_key is not None or field.attribute is not None:
        return None
    kind = type(field)
    if kind is fields.UUID:
        def convert(value):
            if type(value) is not str:
                return _UNSURE
            try:
                return uuid.UUID(value)
            except ValueError:
                return _UNSURE
    elif kind is fields.String:
        def convert(value):
            return value if type(value) is str else _UNSURE
    elif kind is fields.Integer:
        # A bool is an int to Python but never to marshmallow's Integer.
        def convert(value):
            return value if type(value) is int else _UNSURE
    elif kind is fields.Boolean:
        def convert(value):
            return value if type(value) is bool else _UNSURE
    elif kind is fields.List:
        inner = field.inner
        if isinstance(inner, fields.Nested):
            # Only an empty list: a nested object's own rules (its unknown
            # keys, its defaults) stay marshmallow's.
            def convert(value):
                return [] if type(value) is list and not value else _UNSURE
        else:
            load_item = _field_loader(inner)
            if load_item is None:
                return None

            def convert(value):
                if type(value) is not list:
                    return _UNSURE
                loaded = [load_item(item) for item in value]
                return _UNSURE if any(item is _UNSURE for item in loaded) else loaded
    else:
        return None
    return convert


def _field_loader(field: fields.Field) -> Callable[[Any], Any] | None:
    """A present value -> the field's loaded value (None allowed as the field
    allows it, validators run) or _UNSURE."""
    convert = _loader_of(field)
    if convert is None:
        return None
    allow_none = field.allow_none
    validate = field._validate if field.validators else None

    def load(value):
        if value is None:
            return None if allow_none else _UNSURE
        loaded = convert(value)
        if loaded is _UNSURE or validate is None:
            return loaded
        try:
            validate(loaded)
        except ma.ValidationError:
            return _UNSURE
        return loaded
    return load


def _dumper_of(field: fields.Field) -> Callable[[Any], Any]:
    """What marshmallow's dump makes of a value this module loaded."""
    if type(field) is fields.UUID:
        return lambda value: None if value is None else str(value)
    if type(field) is fields.List and type(field.inner) is fields.UUID:
        return lambda value: None if value is None else [str(item) for item in value]
    # Strings, integers, booleans and lists of them (or an empty list)
    # dump as they are.
    return lambda value: None if value is None else (list(value) if type(value) is list else value)


class PlainSchema:
    """A marshmallow schema's load (and dump of what it loaded) for plainly
    valid data. Build with `PlainSchema.of(schema)`: None when the schema
    has anything this module does not handle."""

    def __init__(self, entries: list, raise_on_unknown: bool):
        self._entries = entries
        self._names = frozenset(name for name, *_rest in entries)
        self._raise_on_unknown = raise_on_unknown

    @classmethod
    def of(cls, schema: ma.Schema) -> "PlainSchema | None":
        if schema._hooks and any(schema._hooks.values()):
            return None
        if schema.only is not None or schema.exclude or schema.load_only or schema.dump_only:
            return None
        entries = []
        for name, field in schema.fields.items():
            if field.load_only or field.dump_only or field.dump_default is not missing:
                return None
            load = _field_loader(field)
            if load is None:
                return None
            entries.append((name, field.required, field.load_default, load, _dumper_of(field)))
        if schema.unknown not in (ma.RAISE, ma.EXCLUDE):
            return None
        return cls(entries, raise_on_unknown=schema.unknown == ma.RAISE)

    def load(self, data: Any) -> dict | None:
        """What `schema.load(data)` gives, or None: ask marshmallow."""
        if type(data) is not dict:
            return None
        if self._raise_on_unknown and not self._names.issuperset(data):
            return None
        loaded = {}
        for name, required, load_default, load, _dump in self._entries:
            if name in data:
                value = load(data[name])
                if value is _UNSURE:
                    return None
                loaded[name] = value
            elif required:
                return None
            elif load_default is not missing:
                loaded[name] = load_default() if callable(load_default) else load_default
        return loaded

    def dump(self, loaded: dict) -> dict:
        """What `schema.dump(loaded)` gives, for what `load` returned."""
        return {name: dump(loaded[name]) for name, _required, _default, _load, dump in self._entries
                if name in loaded}
