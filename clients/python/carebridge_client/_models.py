"""The base of the generated result types, and paging."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, Callable, Generic, Iterator, TypeVar

T = TypeVar("T")


class Unset:
    """An argument not given: left out of the request (unlike None, sent as null)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET = Unset()


def _parse(spec, value, module):
    if value is None or spec is None:
        return value
    if isinstance(spec, list):
        kind, inner = spec
        if kind == "list":
            return [_parse(inner, item, module) for item in value]
        return {key: _parse(inner, item, module) for key, item in value.items()}
    if spec == "datetime":
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if spec == "date":
        return date.fromisoformat(value) if isinstance(value, str) else value
    if spec.startswith("ref:"):
        cls = getattr(module, spec[4:])
        return cls.from_dict(value) if isinstance(value, dict) else value
    return value


def _plain(spec, value, module):
    """`to_json(_parse(spec, value, module))`, without building the objects."""
    if value is None or spec is None:
        return value
    if isinstance(spec, list):
        kind, inner = spec
        if kind == "list":
            return [_plain(inner, item, module) for item in value]
        return {key: _plain(inner, item, module) for key, item in value.items()}
    if spec == "datetime":
        return datetime.fromisoformat(value).isoformat() if isinstance(value, str) else value
    if spec == "date":
        return date.fromisoformat(value).isoformat() if isinstance(value, str) else value
    if spec.startswith("ref:"):
        cls = getattr(module, spec[4:])
        return cls.plain_from_dict(value) if isinstance(value, dict) else value
    return value


class Model:
    """A resource or value the API answered with: a dataclass with typed
    fields. `request_id` is the X-Request-ID of the call that read it and
    `etag` its version (when the API gave one); `extra` holds fields this
    client version does not know yet (a newer server)."""

    __parse__: dict = {}
    __wire__: dict = {}

    @classmethod
    def _layout(cls):
        """(module, wire name -> (attribute, parse spec), attribute names), once per class."""
        layout = cls.__dict__.get("_layout_cache")
        if layout is None:
            import sys
            wire = {w: a for a, w in cls.__wire__.items()}
            names = tuple(f.name for f in dataclasses.fields(cls))
            fields = {wire.get(name, name): (name, cls.__parse__.get(name)) for name in names}
            fields.update({w: (a, cls.__parse__.get(a)) for w, a in wire.items()})
            layout = (sys.modules[cls.__module__], fields, names)
            cls._layout_cache = layout
        return layout

    @classmethod
    def from_dict(cls, data: dict):
        module, fields, names = cls._layout()
        values = dict.fromkeys(names)
        extra = {}
        for key, value in data.items():
            known = fields.get(key)
            if known is None:
                extra[key] = value
            else:
                attribute, spec = known
                values[attribute] = value if spec is None or value is None else _parse(spec, value, module)
        instance = cls(**values)
        object.__setattr__(instance, "_extra", extra)
        return instance

    @classmethod
    def plain_from_dict(cls, data: dict) -> dict:
        """`cls.from_dict(data).to_dict()` in one pass, with no objects in
        between: for callers that want the JSON form of what the API
        answered (times and unset fields as `to_dict` gives them)."""
        module, fields, _ = cls._layout()
        values, extra = {}, {}
        for key, value in data.items():
            known = fields.get(key)
            if known is None:
                extra[key] = value
            else:
                attribute, spec = known
                values[attribute] = value if spec is None or value is None else _plain(spec, value, module)
        out = {}
        for name, wire, skip_none in cls._dict_layout():
            value = values.get(name)
            if value is None:
                if skip_none:
                    continue
                out[wire] = None
            else:
                out[wire] = value
        out.update(extra)
        return out

    @classmethod
    def _dict_layout(cls) -> tuple:
        """(attribute, wire name, whether None is left out) per field, once per class."""
        layout = cls.__dict__.get("_dict_layout_cache")
        if layout is None:
            layout = tuple((f.name, cls.__wire__.get(f.name, f.name), f.default is None)
                           for f in dataclasses.fields(cls))
            cls._dict_layout_cache = layout
        return layout

    def to_dict(self) -> dict:
        """The JSON form (wire names, ISO 8601 times), without unset fields."""
        out = {}
        for name, wire, skip_none in self._dict_layout():
            value = getattr(self, name)
            if value is None:
                if skip_none:
                    continue
                out[wire] = None
            elif type(value) in _PLAIN:
                out[wire] = value
            else:
                out[wire] = to_json(value)
        out.update(getattr(self, "_extra", {}))
        return out

    @property
    def extra(self) -> dict:
        return getattr(self, "_extra", {})

    @property
    def request_id(self) -> str | None:
        return getattr(self, "_request_id", None)

    @property
    def etag(self) -> str | None:
        return getattr(self, "_etag", None)


# JSON values as they are (the common case, checked first).
_PLAIN = frozenset({str, int, float, bool})


def to_json(value: Any):
    """Python values as JSON: models by their fields, times in ISO 8601."""
    if type(value) in _PLAIN or value is None:
        return value
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items() if item is not UNSET}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_json(dataclasses.asdict(value))
    if hasattr(value, "hex") and type(value).__name__ == "UUID":
        return str(value)
    if type(value).__name__ == "Decimal":
        return str(value)
    return value


class Paged(Generic[T]):
    """The items of a list or search, page after page, fetched as the
    iteration reaches them. `total` is known once the first page is read;
    `request_ids` names every page's call."""

    def __init__(self, fetch: Callable[[int], tuple[list, int, str]],
                 parse: Callable[[Any, str], T] | None = None, plain: Callable[[Any], dict] | None = None):
        """fetch(page) -> (the page's items as the API answered them, total,
        the page's request id); parse(item, request id) makes the result type
        of an item, plain(item) its JSON form (`to_dict`)."""
        self._fetch = fetch
        self._parse = parse or (lambda item, _request_id: item)
        self._plain = plain or to_json
        self.total: int | None = None
        self.request_ids: list[str] = []

    def _pages(self) -> Iterator[tuple[list, str]]:
        page, seen = 1, 0
        while True:
            items, total, request_id = self._fetch(page)
            self.total = total
            self.request_ids.append(request_id)
            yield items, request_id
            seen += len(items)
            if not items or seen >= total:
                return
            page += 1

    def __iter__(self) -> Iterator[T]:
        for items, request_id in self._pages():
            for item in items:
                yield self._parse(item, request_id)

    def plain(self) -> Iterator[dict]:
        """The items in their JSON form, as `item.to_dict()` would give them,
        without making the typed objects (for code that renders JSON or
        templates, where the objects would be made only to be taken apart)."""
        for items, _ in self._pages():
            for item in items:
                yield self._plain(item)

    def first(self) -> T | None:
        """The first item, reading only the first page."""
        return next(iter(self), None)

    def all(self) -> list[T]:
        return list(self)
