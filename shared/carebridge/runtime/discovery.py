"""Installed services announce themselves through the entry-point group
`carebridge.services` (each service's pyproject.toml); nothing in the kit
names them."""
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
    services = installed_services()
    try:
        return services[name]
    except KeyError:
        known = ", ".join(services) or "none"
        raise SystemExit(f"no service named {name!r} is installed (installed: {known})") from None
