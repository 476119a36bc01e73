"""Structured JSON logs.

A log line names what happened and the identifiers involved, never the
content: no names, birth dates, contact details or clinical text. Only the
fields passed in `extra=` whose names are on the allow-list below are written,
so a careless `extra={"patient": patient}` cannot leak a record into the logs.
"""
from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import datetime, timezone

from . import context

ALLOWED_EXTRA_FIELDS = frozenset({
    "event_id", "event_type", "event_version", "attempt", "queue", "routing_key",
    "patient_id", "resource_type", "resource_id", "appointment_id", "plan_id",
    "task_id", "claim_id", "notification_id", "delivery_id", "channel",
    "status", "method", "path", "route", "duration_ms", "remote_addr",
    "count", "backlog", "delay_seconds", "job", "error_type", "service",
    "outcome", "role", "subject", "url", "port", "reason",
})


def stack_without_messages(exc_info) -> str:
    """Frames and exception types of a traceback, chained causes included,
    without the exception messages (which may quote patient data)."""
    parts = []
    tb = traceback.TracebackException(*exc_info)
    while tb is not None:
        name = getattr(tb, "exc_type_str", None) or tb.exc_type.__name__
        parts.append("".join(tb.stack.format()) + name)
        tb = tb.__cause__ or tb.__context__
    return "\n-- caused by / during --\n".join(reversed(parts))


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": getattr(record, "service", self.service),
            "logger": record.name,
            "message": record.getMessage(),
        }
        correlation = context.correlation_id.get()
        if correlation:
            entry["correlation_id"] = correlation
        # The record's own attributes are some twenty standard ones plus the
        # extras: the allowed names among them, found by a set intersection
        # rather than by asking for each of the allow-list's names in turn.
        attributes = record.__dict__
        for name in ALLOWED_EXTRA_FIELDS.intersection(attributes):
            if name not in entry:
                entry[name] = attributes[name]
        if record.exc_info:
            # The type and the stack say where it broke; the message of a
            # database error can quote row values, so it stays out.
            entry["error_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            entry["stack"] = stack_without_messages(record.exc_info)
        return json.dumps(entry, default=str)


def configure(service: str, level: str = "INFO", as_json: bool = True) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_carebridge", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._carebridge = True
    handler.setFormatter(JsonFormatter(service) if as_json else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Werkzeug's and amqp's own chatter would repeat what we log in JSON.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("amqp").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
