"""What the current unit of work is acting on behalf of.

An HTTP request sets the correlation id (its X-Request-ID) and the principal;
a consumer handling an event sets the correlation id carried by the event and
the event's own id as causation. The outbox, the audit trail, the service
HTTP client and the logs read them from here, so that nobody has to pass them
through every function by hand.
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Optional

correlation_id: ContextVar[Optional[str]] = ContextVar("correlation_id", default=None)
causation_id: ContextVar[Optional[str]] = ContextVar("causation_id", default=None)
principal: ContextVar[Optional[object]] = ContextVar("principal", default=None)


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def current_correlation_id() -> str:
    """The correlation id in force, creating one for work that started
    outside any request (a scheduled sweep, a command)."""
    value = correlation_id.get()
    if value is None:
        value = new_correlation_id()
        correlation_id.set(value)
    return value


@contextmanager
def acting(*, correlation: str | None = None, causation: str | None = None, who: object | None = None):
    tokens = [
        (correlation_id, correlation_id.set(correlation or new_correlation_id())),
        (causation_id, causation_id.set(causation)),
        (principal, principal.set(who)),
    ]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)
