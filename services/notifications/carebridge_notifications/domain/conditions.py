"""Tiny predicates over an event's data, so routing rules stay declarative."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class FieldIs:
    field: str
    value: Any

    def holds(self, data: Mapping[str, Any]) -> bool:
        return data.get(self.field) == self.value


@dataclass(frozen=True)
class FieldIn:
    field: str
    values: tuple

    def holds(self, data: Mapping[str, Any]) -> bool:
        return data.get(self.field) in self.values


@dataclass(frozen=True)
class AllOf:
    conditions: tuple

    def holds(self, data: Mapping[str, Any]) -> bool:
        return all(condition.holds(data) for condition in self.conditions)


@dataclass(frozen=True)
class Not:
    condition: "FieldIs | FieldIn | AllOf"

    def holds(self, data: Mapping[str, Any]) -> bool:
        return not self.condition.holds(data)


ALWAYS = AllOf(())
NEVER = FieldIn("__never__", ())
