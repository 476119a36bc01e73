"""A status set and the moves allowed between statuses."""
from __future__ import annotations

from dataclasses import dataclass

from carebridge.errors import InvalidTransition


@dataclass(frozen=True)
class Lifecycle:
    moves: dict[str, frozenset[str]]

    @classmethod
    def of(cls, moves: dict[str, tuple[str, ...]]) -> "Lifecycle":
        return cls({status: frozenset(targets) for status, targets in moves.items()})

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(self.moves)

    def allows(self, current: str, requested: str) -> bool:
        return requested in self.moves.get(current, frozenset())

    def check(self, current: str, requested: str) -> None:
        """Raise InvalidTransition (409, naming the allowed moves) unless allowed."""
        if not self.allows(current, requested):
            raise InvalidTransition(current, requested, self.moves.get(current, frozenset()))
