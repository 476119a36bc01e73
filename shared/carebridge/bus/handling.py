"""What an event handler sees of the bus: the event it is given and the
exception that dead-letters it at once. Kept apart from the consumer so that
a service's handlers (which its API process imports with its definition) do
not load kombu and py-amqp into a process that never consumes."""
from __future__ import annotations

from ..events import Event


class PermanentFailure(Exception):
    """Raised by a handler for an event that no retry can fix; it is
    dead-lettered at once. `code` (a short fixed string, no data) says why in
    the dead letter's headers; the message is for the log of the exception
    only."""

    def __init__(self, *args, code: str = "permanent-failure"):
        super().__init__(*args)
        self.code = code


class ReceivedEvent(Event):
    """An envelope whose `data` has been validated and deserialised."""
