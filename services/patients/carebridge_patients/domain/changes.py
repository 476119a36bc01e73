"""What an update really changes."""
from __future__ import annotations

from typing import Any, Mapping


def changed_values(current: Mapping[str, Any], requested: Mapping[str, Any]) -> dict[str, Any]:
    """The requested values that differ from the current ones. An update that
    changes nothing is not a change: no new version, no event."""
    return {name: value for name, value in requested.items() if current.get(name) != value}
