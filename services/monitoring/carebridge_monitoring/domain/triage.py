"""Telephone triage protocols (data: `reference/triage_protocols.json`) and
the disposition a call's answers lead to."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import reference

DISPOSITIONS = ("emergency", "same-day", "book-within-days", "home-care")
# Dispositions that cannot wait for a routine visit: an urgent task and the
# team told at once.
URGENT_DISPOSITIONS = ("emergency", "same-day")
CALLER_TYPES = ("patient", "family", "caregiver", "clinician", "other")


@dataclass(frozen=True)
class Disposition:
    code: str
    days: int | None
    advice: str


@dataclass(frozen=True)
class Protocol:
    code: str
    title: str
    questions: tuple[dict, ...]
    rules: tuple[dict, ...]
    default: dict
    advice: dict

    @property
    def question_codes(self) -> tuple[str, ...]:
        return tuple(question["code"] for question in self.questions)

    def decide(self, answers: dict[str, bool]) -> Disposition:
        """The first rule whose questions were all answered yes, else the default."""
        chosen = next((rule for rule in self.rules if all(answers.get(code) for code in rule["all_yes"])),
                      self.default)
        code = chosen["disposition"]
        return Disposition(code, chosen.get("days") if code == "book-within-days" else None, self.advice[code])


def _check(protocol: Protocol) -> Protocol:
    known = set(protocol.question_codes)
    for rule in (*protocol.rules, protocol.default):
        if rule["disposition"] not in DISPOSITIONS:
            raise ValueError(f"triage protocol {protocol.code}: unknown disposition {rule['disposition']!r}")
        if rule["disposition"] == "book-within-days" and not rule.get("days"):
            raise ValueError(f"triage protocol {protocol.code}: book-within-days needs days")
        unknown = set(rule.get("all_yes", ())) - known
        if unknown:
            raise ValueError(f"triage protocol {protocol.code}: unknown questions {sorted(unknown)}")
    if set(protocol.advice) != set(DISPOSITIONS):
        raise ValueError(f"triage protocol {protocol.code}: advice needed for every disposition")
    return protocol


@lru_cache(maxsize=1)
def protocols() -> dict[str, Protocol]:
    raw = reference.load("triage_protocols.json")["protocols"]
    return {item["code"]: _check(Protocol(item["code"], item["title"], tuple(item["questions"]),
                                          tuple(item["rules"]), item["default"], item["advice"]))
            for item in raw}


PROTOCOL_CODES = ("chest-pain", "shortness-of-breath", "fever", "fall", "medication-question",
                  "high-blood-pressure-reading")
