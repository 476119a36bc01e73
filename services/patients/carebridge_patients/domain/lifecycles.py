"""Which status changes the service allows."""
from __future__ import annotations

from carebridge.errors import InvalidTransition

# A deceased patient stays deceased: a death recorded in error is corrected
# by an administrator in the source record, not by reactivating the chart.
PATIENT_TRANSITIONS = {
    "active": {"inactive", "deceased"},
    "inactive": {"active", "deceased"},
    "deceased": set(),
}

# An inactive team is closed for good; a team that forms again is a new team,
# so the history of who was on the old one stays as it was.
CARE_TEAM_TRANSITIONS = {
    "proposed": {"active", "inactive"},
    "active": {"suspended", "inactive"},
    "suspended": {"active", "inactive"},
    "inactive": set(),
}

CARE_TEAM_INITIAL_STATUSES = ("proposed", "active")


def check_transition(transitions: dict[str, set[str]], current: str, requested: str) -> None:
    """Staying in the same status is not a transition and always allowed."""
    if requested != current and requested not in transitions[current]:
        raise InvalidTransition(current, requested, transitions[current])
