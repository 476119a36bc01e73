"""Input no endpoint can use, refused the same way on every service and on
both databases, before any view runs (issue 23): a clear 400 or 422
problem+json instead of a 500, or of an answer that differs between SQLite
and PostgreSQL.

- JSON nested deeper than `MAX_JSON_DEPTH` (Python's parser, and every
  recursive walk after it, would otherwise hit a RecursionError): 400.
- A lone UTF-16 surrogate (`"\\ud800"`) in a JSON string: no database can
  store it as UTF-8: 400.
- A NUL character in a JSON string or a query parameter (SQLite stores it,
  PostgreSQL refuses it): 422 naming the field.
- An integer beyond 64 bits, in a path, a query parameter or a JSON number
  (no column holds it; SQLite's driver raises OverflowError): 400/422.
- Digits other than ASCII ones (full-width `１２`, Arabic-Indic ...) in what
  is otherwise a number, as a JSON string or a query parameter: Python reads
  them as numbers, people do not type them as amounts: 422.
- Dates and times: only the extended ISO 8601 form (`1970-01-01`,
  `1970-01-01T00:00:00Z`); Python 3.11 would also read `19700101` and week
  dates. `strict_iso_dates()` installs this in marshmallow's Date and
  DateTime fields (every schema of every service, and the event catalogue).
"""
from __future__ import annotations

import datetime as dt
import json
import re

from flask import request
from marshmallow import fields

from .problems import problem

MAX_JSON_DEPTH = 32
INT64 = range(-2 ** 63, 2 ** 63)
_NUMBER_LIKE = re.compile(r"[+-]?[\d.,]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
                           r"(Z|[+-][0-9]{2}:?[0-9]{2})?", re.IGNORECASE)
_ALL_DIGITS = re.compile(r"[+-]?[0-9]+")


class UnusableInput(Exception):
    def __init__(self, status: int, detail: str, where: str | None = None, reason: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.where, self.reason = status, detail, where, reason

    def answer(self):
        errors = {self.where: [self.reason]} if self.where else None
        return problem(self.status, self.detail, errors=errors)


def _strict_date(text: str) -> dt.date:
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise ValueError("not an extended ISO 8601 date")
    return dt.date.fromisoformat(text)


def _strict_datetime(text: str) -> dt.datetime:
    if not isinstance(text, str) or not _ISO_DATETIME.fullmatch(text):
        raise ValueError("not an extended ISO 8601 date and time")
    return dt.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))


def strict_iso_dates() -> None:
    """Marshmallow's Date and DateTime (AwareDateTime, NaiveDateTime) read
    only the extended ISO 8601 form."""
    fields.Date.DESERIALIZATION_FUNCS = {**fields.Date.DESERIALIZATION_FUNCS,
                                         "iso": _strict_date, "iso8601": _strict_date}
    fields.DateTime.DESERIALIZATION_FUNCS = {**fields.DateTime.DESERIALIZATION_FUNCS,
                                             "iso": _strict_datetime, "iso8601": _strict_datetime}


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _foreign_digits(text: str) -> bool:
    """A number written with digits other than ASCII ones."""
    return bool(_NUMBER_LIKE.fullmatch(text)) and not text.isascii()


def check_text(text: str, where: str) -> None:
    if _has_lone_surrogate(text):
        raise UnusableInput(400, "The request holds text that is not valid Unicode (a lone surrogate).",
                            where, "not valid Unicode")
    if "\x00" in text:
        raise UnusableInput(422, "Text may not contain NUL characters.", where, "contains a NUL character")
    if _foreign_digits(text):
        raise UnusableInput(422, "Numbers must be written with ASCII digits 0-9.", where, "digits must be 0-9")


def check_integer(value: int, where: str, status: int = 422) -> None:
    if value not in INT64:
        raise UnusableInput(status, "A number in the request is out of range.", where, "out of range")


def check_json(document) -> None:
    """Walks the parsed body without recursion (its depth is what is checked)."""
    stack = [(document, "", 1)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise UnusableInput(400, f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.")
        if isinstance(value, dict):
            for key, item in value.items():
                check_text(key, where or "json")
                stack.append((item, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{where}.{index}" if where else str(index), depth + 1)
                         for index, item in enumerate(value))
        elif isinstance(value, str):
            check_text(value, where or "json")
        elif isinstance(value, int) and not isinstance(value, bool):
            check_integer(value, where or "json")


def _parse(raw: bytes):
    """json.loads, refusing a nesting deeper than the limit before the parser
    recurses into it (a bracket inside a string counts too: a body that
    nests strings that deep is no real request)."""
    depth = 0
    deepest = 0
    for byte in raw:
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH * 4:
                raise UnusableInput(400, f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.")
        elif byte in b"]}":
            depth -= 1
    try:
        return json.loads(raw)
    except RecursionError:
        raise UnusableInput(400, f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.") from None


def check_request():
    """before_request: path, query and JSON body (the malformed-JSON check
    itself stays in hooks.py)."""
    try:
        for name, value in (request.view_args or {}).items():
            if isinstance(value, int) and not isinstance(value, bool):
                check_integer(value, name, status=400)
        for name, values in request.args.lists():
            for value in values:
                check_text(value, name)
                if _ALL_DIGITS.fullmatch(value):
                    check_integer(int(value), name, status=400)
        if request.method in ("POST", "PUT", "PATCH") and request.is_json:
            raw = request.get_data(cache=True)
            if raw:
                try:
                    document = _parse(raw)
                except (ValueError, UnicodeDecodeError):
                    return None  # the malformed-JSON check answers it
                check_json(document)
    except UnusableInput as refused:
        return refused.answer()
    return None
