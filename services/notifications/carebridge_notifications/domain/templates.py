"""Wording of notifications, per template and language.

The wording is data (`carebridge_notifications/templates/<language>.json`),
reviewed and shipped with the code that fills it in: templates name the event
fields they show, so a template change and a code change go together. A
language file may hold only some messages; whatever it lacks falls back to
English, which is complete.

Events carry identifiers and codes only, so messages are rendered from codes
(an appointment type code becomes "follow-up visit", times are shown in the
reader's own time zone). The in-app text may say more for staff; staff email
and SMS never carry any of it: they only say there is something new and
where to read it. Email and SMS to patients and family are letters
(`letters.py`), written at sending time.
"""
from __future__ import annotations

import json
import string
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from .quiet_hours import zone
from .vocabulary import URGENT

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    language: str


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


class TemplateBook:
    def __init__(self, packs: Mapping[str, dict]):
        if DEFAULT_LANGUAGE not in packs:
            raise ValueError("the English templates are missing")
        self.packs = dict(packs)

    @classmethod
    def from_package(cls) -> "TemplateBook":
        folder = resources.files("carebridge_notifications") / "templates"
        packs = {entry.name.removesuffix(".json"): json.loads(entry.read_text(encoding="utf-8"))
                 for entry in folder.iterdir() if entry.name.endswith(".json")}
        return cls(packs)

    @property
    def languages(self) -> list[str]:
        return sorted(self.packs)

    def _chain(self, language: str | None) -> list[str]:
        wanted = (language or DEFAULT_LANGUAGE).strip().lower()
        chain = [wanted, wanted.split("-")[0], DEFAULT_LANGUAGE]
        return [code for i, code in enumerate(chain) if code in self.packs and code not in chain[:i]]

    def _first(self, language: str | None, *path: str) -> tuple[str, Any]:
        for code in self._chain(language):
            node: Any = self.packs[code]
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            if node is not None:
                return code, node
        raise KeyError(f"no template at {'/'.join(path)}")

    def has_message(self, template: str, kind: str) -> bool:
        return kind in self.packs[DEFAULT_LANGUAGE]["messages"].get(template, {})

    def message_text(self, template: str, kind: str, language: str = DEFAULT_LANGUAGE) -> dict:
        return self._first(language, "messages", template, kind)[1]

    def render_message(self, template: str, kind: str, language: str | None, data: Mapping[str, Any],
                       time_zone: str | None) -> Rendered:
        used, text = self._first(language, "messages", template, kind)
        values = _Values(self, used, data, time_zone)
        return Rendered(_fill(text["title"], values), _fill(text["body"], values), used)

    def render_escalation(self, original: Rendered, minutes: int) -> Rendered:
        used, text = self._first(original.language, "escalation")
        values = {"title": original.title, "body": original.body, "minutes": minutes}
        return Rendered(text["title"].format_map(values), text["body"].format_map(values), used)

    def render_push(self, kind: str, urgency: str, language: str | None, links: Mapping[str, str]) -> tuple[str, str]:
        """Subject and text of an email or SMS: no detail, only where to read it."""
        key = "staff-urgent" if kind == "staff" and urgency == URGENT else kind
        _used, text = self._first(language, "push", key)
        return text["subject"].format_map(links), text["text"].format_map(links)

    def label(self, language: str, field: str, value: str) -> str:
        for code in self._chain(language):
            labels = self.packs[code].get("labels", {}).get(field, {})
            if value in labels:
                return labels[value]
        return value

    def setting(self, language: str, name: str) -> str:
        return self._first(language, name)[1]


# What the service adds to an event's data for staff wording: the patient's
# MRN (staff are entitled to know which patient; events carry no names).
STAFF_FIELDS = frozenset({"patient_mrn"})


def for_staff(data: Mapping[str, Any], mrn: str | None) -> dict:
    return {**data, "patient_mrn": mrn}


class _Values(dict):
    """Event data as the words a reader understands, computed on demand."""

    def __init__(self, book: TemplateBook, language: str, data: Mapping[str, Any], time_zone: str | None):
        super().__init__()
        self.book, self.language, self.data, self.zone = book, language, data, zone(time_zone)

    def __missing__(self, field: str) -> str:
        if field not in self.data:
            raise KeyError(field)
        return self._word(field, self.data[field])

    def _word(self, field: str, value: Any) -> str:
        if field == "section_changes":
            return self._section_changes(value)
        if value is None:
            return self.book.setting(self.language, "empty")
        if isinstance(value, bool):
            return self.book.label(self.language, field, str(value).lower())
        if isinstance(value, datetime):
            return value.astimezone(self.zone).strftime(self.book.setting(self.language, "datetime_format"))
        if isinstance(value, date):
            return value.strftime(self.book.setting(self.language, "date_format"))
        if isinstance(value, (list, tuple)):
            return self.book.setting(self.language, "list_separator").join(self._word(field, v) for v in value)
        if isinstance(value, str):
            return self.book.label(self.language, field, value)
        return str(value)


    def _section_changes(self, counted) -> str:
        """"goals: 1 added, medications: 1 changed"; the section names alone
        for an event that does not count them."""
        if not counted:
            return self._word("changed_sections", self.data.get("changed_sections") or [])
        separator = self.book.setting(self.language, "list_separator")
        parts = []
        for entry in counted:
            counts = separator.join(f"{entry[kind]} {self.book.label(self.language, 'change_kind', kind)}"
                                    for kind in ("added", "changed", "removed") if entry.get(kind))
            parts.append(f"{self.book.label(self.language, 'changed_sections', entry['section'])}: {counts}")
        return "; ".join(parts)


def _fill(text: str, values: Mapping[str, str]) -> str:
    return " ".join(text.format_map(values).split())


@lru_cache(maxsize=1)
def template_book() -> TemplateBook:
    return TemplateBook.from_package()
