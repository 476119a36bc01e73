"""Test support for CareBridge suites (fixtures live in `plugin`)."""
from .helpers import audit_trail, deliver, envelope_json, make_event, outbox, wait_for

__all__ = ["audit_trail", "deliver", "envelope_json", "make_event", "outbox", "wait_for"]
