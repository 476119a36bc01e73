"""Which services are installed: each announces itself through the
entry-point group `carebridge.services` (its pyproject.toml), and only what
is installed is loaded. The kit does name the five it ships with, in
`config.SERVICE_PORTS` (each one's development port and default URL):
installed services are listed in that order, any others after them."""
from __future__ import annotations

from importlib.metadata import entry_points

from ..config import SERVICE_PORTS

GROUP = "carebridge.services"


def installed_services() -> dict:
    found = {}
    for entry in entry_points(group=GROUP):
        found[entry.name] = entry.load()
    order = list(SERVICE_PORTS)
    return dict(sorted(found.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def load_service(name: str):
    """Only the named service is imported: one team's broken package must not
    stop another team's migrations or worker."""
    for entry in entry_points(group=GROUP):
        if entry.name == name:
            return entry.load()
    known = ", ".join(entry.name for entry in entry_points(group=GROUP)) or "none"
    raise SystemExit(f"no service named {name!r} is installed (installed: {known})")
