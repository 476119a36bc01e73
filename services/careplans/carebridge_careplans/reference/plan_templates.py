"""Care plan templates (templates/*.json): clinically reviewed starting
points a coordinator instantiates for a patient and then tailors.

Days in a template are counted from the plan's start date (a follow-up
"between day 7 and day 14"); instantiating turns them into dates. Every
template is checked on load against the rules a plan must meet, so a broken
template stops the service at start-up instead of failing a coordinator.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from carebridge.vocabulary.appointment_types import APPOINTMENT_TYPES

from ..domain.plain_language import FREQUENCY_WORDS, ROUTE_WORDS, WARNING_ACTIONS
from ..domain.plan_documents import DETAIL_KEYS
from .medicines import medication_knowledge

RELATIVE_DAY_FIELDS = {"window_start_day": "window_start", "window_end_day": "window_end", "start_day": "start_date"}


@dataclass(frozen=True)
class PlanTemplate:
    code: str
    version: str
    title: str
    description: str
    sources: tuple[str, ...]
    raw: dict

    @property
    def activity_keys(self) -> list[str]:
        return [a["key"] for a in self.raw["activities"]]

    def plan_input(self, start: date, leave_out: frozenset[str] = frozenset()) -> dict:
        """The template as the input of a new plan starting on `start`."""
        def day(offset):
            return start + timedelta(days=offset)

        activities = []
        for template_activity in self.raw["activities"]:
            if template_activity["key"] in leave_out:
                continue
            activity = {k: v for k, v in template_activity.items() if k != "key"}
            key = DETAIL_KEYS[activity["kind"]]
            detail = dict(activity[key])
            for relative, absolute in RELATIVE_DAY_FIELDS.items():
                if relative in detail:
                    detail[absolute] = day(detail.pop(relative))
            activity[key] = detail
            activities.append(activity)
        goals = [{"description": g["description"],
                  "target": {"measure": g["target"]["measure"], "detail": g["target"]["detail"],
                             "due_date": day(g["target"]["due_in_days"])}}
                 for g in self.raw["goals"]]
        return {
            "title": self.title,
            "description": self.description,
            "conditions": list(self.raw["conditions"]),
            "period": {"start": start, "end": day(self.raw["duration_days"])},
            "warning_signs": list(self.raw["warning_signs"]),
            "goals": goals,
            "activities": activities,
        }


def _problems(raw: dict) -> list[str]:
    problems = []
    knowledge = medication_knowledge()
    keys = [a.get("key") for a in raw["activities"]]
    problems += [f"activity key {k!r} is used twice" for k in set(keys) if keys.count(k) > 1]
    for activity in raw["activities"]:
        kind, where = activity.get("kind"), f"activity {activity.get('key')!r}"
        if kind not in DETAIL_KEYS or DETAIL_KEYS[kind] not in activity:
            problems.append(f"{where}: needs a known kind and its details")
            continue
        detail = activity[DETAIL_KEYS[kind]]
        code = detail.get("appointment_type_code")
        if code is not None and code not in APPOINTMENT_TYPES:
            problems.append(f"{where}: unknown appointment type {code}")
        if kind == "follow-up" and code is None:
            problems.append(f"{where}: a follow-up needs an appointment type")
        if kind == "medication":
            if not knowledge.ingredients_of(detail.get("rxnorm_code")):
                problems.append(f"{where}: RxNorm code {detail.get('rxnorm_code')} is not in the drug catalogue")
            if detail.get("frequency") not in FREQUENCY_WORDS or detail.get("route") not in ROUTE_WORDS:
                problems.append(f"{where}: unknown frequency or route")
    problems += [f"warning sign action {w['action']!r} is unknown" for w in raw["warning_signs"]
                 if w["action"] not in WARNING_ACTIONS]
    return problems


def _load(path) -> PlanTemplate:
    raw = json.loads(path.read_text(encoding="utf-8"))
    problems = _problems(raw)
    if problems:
        raise ValueError(f"care plan template {path.name} is invalid: " + "; ".join(problems))
    return PlanTemplate(raw["code"], raw["version"], raw["title"], raw["description"], tuple(raw["sources"]), raw)


@lru_cache(maxsize=1)
def plan_templates() -> dict[str, PlanTemplate]:
    folder = resources.files(__package__).joinpath("templates")
    templates = [_load(path) for path in sorted(folder.iterdir(), key=lambda p: p.name) if path.name.endswith(".json")]
    return {t.code: t for t in templates}
