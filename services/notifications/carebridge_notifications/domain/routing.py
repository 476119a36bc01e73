"""The shape of a routing rule and what fanning an event out produces.

A rule says, for one event type, which category the news belongs to and to
whom it goes (`Send`s, in order of importance). The audiences are names the
recipient directory resolves (see AUDIENCES); the rules themselves are data
in `routing_rules`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Mapping

from .conditions import ALWAYS, NEVER, AllOf, FieldIn, FieldIs, Not
from .vocabulary import CATEGORIES, ROUTINE, URGENT

# Who an audience name stands for.
AUDIENCES = {
    "care-team": "every member of the care team active when the event happened",
    "lead-coordinator": "the care team's lead coordinator",
    "team-nurses": "the care team's nurses active when the event happened",
    "task-owner": "the practitioner who owns the task",
    "prescriber": "the practitioner who prescribed the medication",
    "billing-staff": "every active practitioner with the billing role",
    "patient": "the patient",
    "family": "the patient's active related persons who consent to the category",
}
STAFF_AUDIENCES = ("care-team", "lead-coordinator", "team-nurses", "task-owner", "prescriber", "billing-staff")

Condition = FieldIs | FieldIn | AllOf | Not


@dataclass(frozen=True)
class Send:
    to: str
    template: str
    urgent_when: Condition = NEVER
    only_when: Condition = ALWAYS

    def __post_init__(self):
        if self.to not in AUDIENCES:
            raise ValueError(f"unknown audience {self.to!r}")


@dataclass(frozen=True)
class Rule:
    category: str
    sends: tuple[Send, ...]
    skip_when: Condition = NEVER

    def __post_init__(self):
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")


@dataclass(frozen=True)
class Target:
    """One person to tell, with the wording and urgency chosen for them."""
    recipient_type: str
    recipient_id: uuid.UUID
    template: str
    urgency: str


def applicable_sends(rule: Rule, data: Mapping[str, Any]) -> list[tuple[Send, str]]:
    """The sends of `rule` that apply to this event, each with its urgency."""
    if rule.skip_when.holds(data):
        return []
    return [(send, URGENT if send.urgent_when.holds(data) else ROUTINE)
            for send in rule.sends if send.only_when.holds(data)]


def merge_targets(targets: list[Target]) -> list[Target]:
    """One target per person: the first (most specific) wording wins, and the
    person hears it as urgent if any audience they belong to makes it urgent."""
    merged: dict[tuple[str, uuid.UUID], Target] = {}
    for target in targets:
        key = (target.recipient_type, target.recipient_id)
        held = merged.get(key)
        if held is None:
            merged[key] = target
        elif target.urgency == URGENT and held.urgency != URGENT:
            merged[key] = Target(held.recipient_type, held.recipient_id, held.template, URGENT)
    return list(merged.values())
