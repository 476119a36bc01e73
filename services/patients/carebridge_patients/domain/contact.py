"""How people are reached: phone numbers, languages, time zones, quiet hours
and the channel they prefer. Plain functions that return the normalised value
or raise ValueError with a message fit for the person typing it."""
from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import available_timezones

from carebridge.errors import RuleViolation

_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_PHONE_FORMATTING = str.maketrans("", "", " -.()/")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,4}$")
_TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
LANGUAGE_TAG_MAX = 35


def normalise_phone(value: str) -> str:
    """A phone number in E.164 form (+15551234567), whatever spacing it was typed with."""
    compact = value.strip().translate(_PHONE_FORMATTING)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _E164.match(compact):
        raise ValueError("Not a phone number in international form, for example +15551234567.")
    return compact


def normalise_language(tag: str) -> str:
    """A BCP 47 language tag in its usual letter case ("es-419", "pt-BR", "zh-Hant-TW")."""
    if len(tag) > LANGUAGE_TAG_MAX or not LANGUAGE_TAG.match(tag):
        raise ValueError("Not a language tag such as en, es-MX or zh-Hant.")
    language, *subtags = tag.split("-")
    cased = [language.lower()]
    for subtag in subtags:
        if len(subtag) == 4 and subtag.isalpha():
            cased.append(subtag.title())  # script
        elif len(subtag) == 2 and subtag.isalpha():
            cased.append(subtag.upper())  # region
        else:
            cased.append(subtag.lower())
    return "-".join(cased)


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_time_zone(name: str) -> str:
    if name not in _time_zones():
        raise ValueError("Not an IANA time zone such as America/New_York.")
    return name


def check_quiet_hours(start: str | None, end: str | None) -> None:
    """Quiet hours are a window of local time (it may wrap past midnight)."""
    for value in (start, end):
        if value is not None and not _TIME_OF_DAY.match(value):
            raise ValueError("Quiet hours are given as HH:MM.")
    if (start is None) != (end is None):
        raise ValueError("Give both the start and the end of quiet hours, or neither.")
    if start is not None and start == end:
        raise ValueError("Quiet hours must not start and end at the same time.")


def check_channel_reachable(communication: dict, contact_points: list[dict]) -> None:
    """The preferred channel must be one the person can be reached on."""
    channel = communication["preferred_channel"]
    systems = {point["system"] for point in contact_points}
    if channel == "sms":
        if not communication.get("sms_consent"):
            raise RuleViolation("Text messages need the person's consent to be texted.",
                                errors={"communication": {"sms_consent": ["Must be true to prefer text messages."]}})
        if "sms" not in systems:
            raise RuleViolation("Text messages need a number that takes them.",
                                errors={"contact_points": ["Add a contact point with system sms."]})
    if channel == "email" and "email" not in systems:
        raise RuleViolation("E-mail needs an e-mail address.",
                            errors={"contact_points": ["Add a contact point with system email."]})


DEFAULT_COMMUNICATION = {"preferred_channel": "inapp", "quiet_hours_start": None, "quiet_hours_end": None,
                         "sms_consent": False}
