"""The table of every environment variable CareBridge reads, generated from
the settings declarations (`carebridge settings`, committed as
docs/settings.md; a test fails when the committed table is out of date)."""
from __future__ import annotations

from pathlib import Path

from .config import DeclaredSetting, Settings, declared_settings
from .runtime.gunicorn_settings import GunicornSettings

# Variables that wire processes together rather than configure one service.
WIRING = [
    ("`<SERVICE>_URL`", "every service", "`http://127.0.0.1:<port>`", "yes",
     "Base URL of another service's API, e.g. PATIENTS_URL (ports 8001-8006 by default)."),
    ("`SERVICE_NAME`", "API", "", "with `wsgi:app`",
     "Which service `carebridge.runtime.wsgi:app` serves."),
    ("`PROMETHEUS_MULTIPROC_DIR`", "API", "a temporary folder", "",
     "Where gunicorn's workers share their metrics samples."),
    ("`CAREBRIDGE_GUNICORN_CONFIG`", "`carebridge stack`", "`deploy/gunicorn.conf.py`", "",
     "gunicorn configuration file of the real stack run as processes."),
]


def _default(item: DeclaredSetting) -> str:
    value = item.default
    if item.spec.secret and value:
        return "(development value)"
    if value is None or value == "" or value == ():
        return ""
    if isinstance(value, tuple):
        value = ",".join(str(part) for part in value)
    if isinstance(value, bool):
        value = "true" if value else "false"
    if isinstance(value, Path):
        value = str(value)
    return f"`{value}`"


def _rows(scope: str, cls) -> list[str]:
    rows = []
    for item in declared_settings(cls):
        doc = item.spec.doc.replace("|", "\\|")
        if item.spec.choices:
            doc += f" One of: {', '.join(item.spec.choices)}."
        required = "required" if item.spec.required_in_production else ""
        rows.append(f"| `{item.env}` | {scope} | {_default(item)} | {required} | {doc} |")
    return rows


def markdown(services: dict) -> str:
    lines = [
        "# Settings",
        "",
        "Every environment variable CareBridge reads. Generated from the settings declarations by",
        "`carebridge settings` (do not edit by hand; a test compares this file with the code).",
        "",
        "A variable can be given to one service only by prefixing it with the service's name",
        "(`SCHEDULING_NOSHOW_GRACE_MINUTES`, `PATIENTS_DATABASE_URL`): the prefixed name wins over the",
        "plain one. Real mode gives each process its own environment and uses the plain names; the",
        "embedded dev stack runs every service in one process and needs the prefixed ones.",
        "",
        "| variable | read by | default | production | meaning |",
        "|---|---|---|---|---|",
        *_rows("every service", Settings),
    ]
    for name, service in services.items():
        if service.settings is not None:
            lines += _rows(name, service.settings)
    lines += _rows("API (gunicorn)", GunicornSettings)
    lines += [f"| {variable} | {scope} | {default} | {required} | {doc} |"
              for variable, scope, default, required, doc in WIRING]
    return "\n".join(lines) + "\n"
