"""The patient-facing words of the plan templates in the other languages the
plain-language summary is written in (templates/<language>/<code>.json: each
text of the template in English beside its translation, for review side by
side).

A plan copies its goals and activities from its template and the care team
may then change them, so a translation is looked up by the template item's
identity (the activity's kind and its medicine or appointment-type code, the
field) together with the English it was written in: a text the care team
changed no longer matches and stays as they wrote it."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from ..domain.plain_language import activity_identity
from ..domain.plan_documents import DETAIL_KEYS
from .plan_templates import plan_templates

TRANSLATED_LANGUAGES = ("es",)
# The template activity's fields shown to the patient: on the activity itself, then in its details.
ACTIVITY_FIELDS = ("description", "instructions")
DETAIL_FIELDS = ("dose", "purpose", "recommendation", "topic", "material")


def patient_facing_texts(raw: dict) -> list[tuple[tuple, str]]:
    """Every patient-facing text of a template with its place in the template:
    ((where...), English)."""
    texts = [(("title",), raw["title"]), (("description",), raw["description"])]
    for n, goal in enumerate(raw["goals"]):
        texts += [(("goals", n, "description"), goal["description"]),
                  (("goals", n, "measure"), goal["target"]["measure"]),
                  (("goals", n, "detail"), goal["target"]["detail"])]
    for activity in raw["activities"]:
        detail = activity[DETAIL_KEYS[activity["kind"]]]
        texts += [(("activities", activity["key"], field), activity[field])
                  for field in ACTIVITY_FIELDS if activity.get(field)]
        texts += [(("activities", activity["key"], field), detail[field])
                  for field in DETAIL_FIELDS if detail.get(field)]
    texts += [(("warning_signs", n), sign["sign"]) for n, sign in enumerate(raw["warning_signs"])]
    return texts


def _catalogue(language: str, code: str) -> dict | None:
    path = resources.files(__package__).joinpath("templates", language, f"{code}.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _entry(catalogue: dict, where: tuple) -> dict | None:
    found = catalogue
    for step in where:
        try:
            found = found[step]
        except (KeyError, IndexError, TypeError):
            return None
    return found


def catalogue_problems(language: str, code: str) -> list[str]:
    """Why a template's translation is incomplete or stale (empty when it is whole)."""
    template = plan_templates()[code]
    catalogue = _catalogue(language, code)
    if catalogue is None:
        return [f"{code}: no {language} catalogue"]
    problems = []
    for where, english in patient_facing_texts(template.raw):
        entry = _entry(catalogue, where)
        place = "/".join(map(str, where))
        if not isinstance(entry, dict) or entry.get("en") != english:
            problems.append(f"{code} {place}: the catalogue's English is not the template's {english!r}")
        elif not (entry.get(language) or "").strip():
            problems.append(f"{code} {place}: no {language} text")
    return problems


@lru_cache(maxsize=None)
def template_texts(code: str | None, language: str) -> dict[tuple, str]:
    """The translations of one template's texts, keyed as the summary looks
    them up: ("title", en), ("goal", en), ("warning_sign", en) and
    ("activity", kind, identity, field, en). Empty for English, a plan
    without a template, or a language without a catalogue."""
    template = plan_templates().get(code) if code else None
    catalogue = _catalogue(language, code) if template and language in TRANSLATED_LANGUAGES else None
    if catalogue is None:
        return {}
    activities = {a["key"]: a for a in template.raw["activities"]}
    texts = {}
    for where, english in patient_facing_texts(template.raw):
        entry = _entry(catalogue, where)
        if not isinstance(entry, dict) or entry.get("en") != english or not entry.get(language):
            continue  # stale or missing: the English stays (a test keeps every catalogue whole)
        if where[0] in ("title", "description"):
            key = (where[0], english)
        elif where[0] == "goals":
            key = ("goal", english) if where[2] == "description" else (f"goal_{where[2]}", english)
        elif where[0] == "warning_signs":
            key = ("warning_sign", english)
        else:
            activity = activities[where[1]]
            detail = activity[DETAIL_KEYS[activity["kind"]]]
            key = ("activity", activity["kind"], activity_identity(activity["kind"], detail), where[2], english)
        texts[key] = entry[language]
    return texts
