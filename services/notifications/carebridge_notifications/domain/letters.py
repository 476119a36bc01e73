"""What an email or SMS to a patient or relative says.

One Jinja2 text template per kind of message and language
(`templates/letters/<language>/<template>.txt`): the first line is the
subject, the rest the text. They are written in plain words (short
sentences, no codes: `tests/unit/test_letters.py` checks every one), and
filled with the facts the message is about: dates and times in the reader's
time zone and money in their locale, formatted by Babel, and codes turned
into words by the labels of `templates/<language>.json`.

`full` detail puts the message itself in the email or SMS; `private` only
says there is a message and gives the link to the secure page. Languages
other than English and Spanish get the English text, which says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Mapping

from babel.dates import format_date, format_time, get_timezone_name
from babel.numbers import format_currency
from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateNotFound

from .claim_reasons import ABOUT_THE_INSURANCE, claim_reason
from .quiet_hours import zone
from .templates import template_book

LETTER_LANGUAGES = ("en", "es")
FULL, PRIVATE = "full", "private"
DETAILS = (FULL, PRIVATE)
PRIVATE_TEMPLATE = "private-notice"
# Event fields that hold a moment or a day (facts are stored as JSON).
_MOMENTS = ("start", "end", "previous_start", "previous_end", "slot_start", "slot_end", "hold_expires_at")
_DAYS = ("expires_on", "service_date")
# Babel locale of each language the letters are written in.
_LOCALES = {"en": "en_US", "es": "es_US"}


@dataclass(frozen=True)
class Letter:
    subject: str
    text: str
    language: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("carebridge_notifications", "templates/letters"),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False,
                       keep_trailing_newline=False)


def letter_name(template: str, detail: str) -> str:
    """The letter template written for a message of `template` with `detail`."""
    return PRIVATE_TEMPLATE if detail == PRIVATE else template


def letter_language(language: str | None) -> str:
    wanted = (language or "en").strip().lower().split("-")[0]
    return wanted if wanted in LETTER_LANGUAGES else "en"


def has_letter(template: str) -> bool:
    try:
        _environment().get_template(f"en/{template}.txt")
    except TemplateNotFound:
        return False
    return True


def letter_templates() -> list[str]:
    """Every letter template, as `<language>/<template>.txt`."""
    return sorted(_environment().list_templates(extensions=["txt"]))


def facts_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """Event data as stored (JSON) back into dates and times."""
    facts = dict(data)
    for name in _MOMENTS:
        if isinstance(facts.get(name), str):
            facts[name] = datetime.fromisoformat(facts[name])
    for name in _DAYS:
        if isinstance(facts.get(name), str):
            facts[name] = date.fromisoformat(facts[name])
    return facts


def render_letter(template: str, audience: str, language: str | None, data: Mapping[str, Any],
                  time_zone: str | None, link: str, *, detail: str = FULL, link_days: int = 7,
                  on_page: bool = False) -> Letter:
    """The subject and text of one message to a patient (`audience`
    "patient") or relative ("family"); `on_page`: as the secure page shows
    it, without the link to itself."""
    used = letter_language(language)
    asked = (language or "en").strip().lower().split("-")[0]
    tz = zone(time_zone)
    locale = _LOCALES[used]
    book = template_book()

    def local(moment: datetime) -> datetime:
        return moment.astimezone(tz)

    def when_date(moment) -> str:
        return format_date(local(moment) if isinstance(moment, datetime) else moment, "full", locale=locale)

    def when_time(moment: datetime) -> str:
        return format_time(local(moment), "short", tzinfo=tz, locale=locale)

    def money(amount: Mapping[str, Any]) -> str:
        return format_currency(Decimal(str(amount["amount"])), amount["currency"], locale=locale)

    def words(value: Any, field: str) -> str:
        if isinstance(value, (list, tuple)):
            return book.setting(used, "list_separator").join(book.label(used, field, str(v)) for v in value)
        return book.label(used, field, str(value).lower() if isinstance(value, bool) else str(value))

    facts = facts_of(data)
    start = facts.get("start") or facts.get("slot_start")
    values = dict(facts, audience=audience, link=link, link_days=link_days, on_page=on_page,
                  fallback=asked != used,
                  time_zone_name=get_timezone_name(tz, "long", locale=locale) if start else "",
                  date=when_date, time=when_time, money=money, words=words,
                  owes=lambda amount: Decimal(str(amount["amount"])) > 0)
    if "reason_codes" in facts:
        values.update(reason=claim_reason(facts["reason_codes"]))
        values.update(about_the_insurance=values["reason"] in ABOUT_THE_INSURANCE)
    name = f"{used}/{letter_name(template, detail)}.txt"
    rendered = _environment().get_template(name).render(values)
    subject, _, text = rendered.strip().partition("\n")
    return Letter(" ".join(subject.split()), _tidy(text), used)


def _tidy(text: str) -> str:
    """Paragraphs separated by one blank line, no trailing spaces."""
    paragraphs, current = [], []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs) + "\n"
