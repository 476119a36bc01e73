"""Limits and trend rules, evaluated on plain values (no database).

An enrolment carries its limits per measure and its trend rules as data
(defaults per condition in `reference/limits.json`). Evaluating new readings
gives `Finding`s: which rule fired, how severe, on which readings. A finding
opens an alert only if no alert of the same rule is open for the enrolment
(one alert per episode; the database enforces it), else its readings join
the open one.

Rules:

- limits (`<measure>-high`, `<measure>-low`, and `<measure>-critical-high`,
  `-critical-low`): one reading beyond the limit; critical ones escalate at
  once;
- `weight-gain` (heart failure): the reading is more than `gain_kg` above the
  lowest weight of the `days` previous calendar days in the patient's time
  zone (1 day: yesterday; 7 days: the week before today);
- `consecutive-over`: the last `count` readings of the measure all above its
  `high` limit (three systolic pressures over the limit in a row);
- `missed-readings`: no reading for `days` days (found by a periodic job).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Iterable
from zoneinfo import ZoneInfo

from .. import reference

SEVERITIES = ("warning", "urgent", "critical")
CONDITIONS = ("general", "heart-failure", "hypertension", "diabetes")
RULE_KINDS = ("weight-gain", "consecutive-over", "missed-readings")
LIMIT_NAMES = ("low", "high", "critical_low", "critical_high")
# The longest look-back a trend rule may have, so that a batch loads what it needs.
MAX_RULE_DAYS = 31
MAX_CONSECUTIVE = 10


@dataclass(frozen=True)
class ReadingFact:
    id: uuid.UUID
    measure: str
    value: Decimal
    value2: Decimal | None
    taken_at: datetime


@dataclass(frozen=True)
class Finding:
    rule_code: str
    measure: str | None
    severity: str
    reading_ids: tuple[uuid.UUID, ...]


def defaults_for(condition: str) -> dict:
    """{"limits": {...}, "rules": [...]} for a condition."""
    table = reference.load("limits.json")
    chosen = table[condition]
    return {"limits": {m: dict(v) for m, v in chosen["limits"].items()}, "rules": [dict(r) for r in chosen["rules"]]}


def local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def limit_findings(reading: ReadingFact, limits: dict) -> list[Finding]:
    bounds = limits.get(reading.measure)
    if not bounds:
        return []
    value = reading.value

    def beyond(name: str) -> bool:
        limit = bounds.get(name)
        if limit is None:
            return False
        return value > Decimal(str(limit)) if name.endswith("high") else value < Decimal(str(limit))

    for name, severity in (("critical_high", "critical"), ("critical_low", "critical"),
                           ("high", "warning"), ("low", "warning")):
        if beyond(name):
            return [Finding(f"{reading.measure}-{name.replace('_', '-')}", reading.measure, severity,
                            (reading.id,))]
    return []


class _History:
    """An enrolment's recent readings, each sorted and dated once per batch."""

    def __init__(self, history: Iterable[ReadingFact], zone: str):
        self.zone = ZoneInfo(zone)
        self.by_measure: dict[str, list[ReadingFact]] = {}
        for reading in sorted(history, key=lambda r: (r.taken_at, str(r.id))):
            self.by_measure.setdefault(reading.measure, []).append(reading)
        self._days: dict[uuid.UUID, date] = {}

    def day(self, reading: ReadingFact) -> date:
        known = self._days.get(reading.id)
        if known is None:
            known = self._days[reading.id] = reading.taken_at.astimezone(self.zone).date()
        return known


def weight_gain_finding(rule: dict, reading: ReadingFact, history: _History) -> Finding | None:
    if reading.measure != "weight":
        return None
    today = history.day(reading)
    first = today - timedelta(days=int(rule["days"]))
    earlier = [r for r in history.by_measure.get("weight", ()) if first <= history.day(r) < today]
    if not earlier:
        return None
    baseline = min(earlier, key=lambda r: (r.value, r.taken_at))
    if reading.value - baseline.value > Decimal(str(rule["gain_kg"])):
        return Finding(rule["code"], "weight", rule["severity"], (baseline.id, reading.id))
    return None


def consecutive_over_finding(rule: dict, reading: ReadingFact, history: _History, limits: dict) -> Finding | None:
    measure = rule["measure"]
    high = (limits.get(measure) or {}).get("high")
    if reading.measure != measure or high is None:
        return None
    count = int(rule["count"])
    same = history.by_measure.get(measure, [])
    position = next((i for i in range(len(same) - 1, -1, -1) if same[i].id == reading.id), None)
    if position is None or position + 1 < count:
        return None
    last = same[position + 1 - count:position + 1]
    if all(r.value > Decimal(str(high)) for r in last):
        return Finding(rule["code"], measure, rule["severity"], tuple(r.id for r in last))
    return None


def evaluate(new: list[ReadingFact], history: list[ReadingFact], limits: dict, rules: list[dict], zone: str
             ) -> list[Finding]:
    """Every finding of the new readings of one enrolment, `history`
    holding the enrolment's recent readings (new ones included), in the
    order the readings were taken. One finding per rule: the first reading
    that fires it opens the episode, the later ones join it."""
    by_rule: dict[str, Finding] = {}
    recent = _History(history, zone)

    def add(finding: Finding | None) -> None:
        if finding is None:
            return
        known = by_rule.get(finding.rule_code)
        if known is None:
            by_rule[finding.rule_code] = finding
        else:
            ids = known.reading_ids + tuple(i for i in finding.reading_ids if i not in known.reading_ids)
            by_rule[finding.rule_code] = Finding(known.rule_code, known.measure, known.severity, ids)

    for reading in sorted(new, key=lambda r: (r.taken_at, str(r.id))):
        for finding in limit_findings(reading, limits):
            add(finding)
        for rule in rules:
            if rule["kind"] == "weight-gain":
                add(weight_gain_finding(rule, reading, recent))
            elif rule["kind"] == "consecutive-over":
                add(consecutive_over_finding(rule, reading, recent, limits))
    return list(by_rule.values())


def missed_readings_rule(rules: list[dict]) -> dict | None:
    return next((rule for rule in rules if rule["kind"] == "missed-readings"), None)


def readings_missed(rule: dict, last_reading_at: datetime | None, started_at: datetime, now: datetime) -> bool:
    since = last_reading_at or started_at
    return now - since >= timedelta(days=int(rule["days"]))
