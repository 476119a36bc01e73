"""What one attempt to send a delivery came to, and what a sender is given."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

SENT, RETRY, BOUNCED, UNSENDABLE = "sent", "retry", "bounced", "unsendable"


@dataclass(frozen=True)
class Outcome:
    """`sent`; `retry` (a passing problem: try again later); `bounced`
    (the address or endpoint refused it for good: no retry helps); or
    `unsendable` (the message itself could not be written, e.g. its letter
    does not render: the same code would fail the same way on every attempt,
    so only a fix and an operator's retry can send it)."""
    kind: str
    reason: str | None = None
    reference: str | None = None

    @classmethod
    def sent(cls, reference: str | None = None) -> "Outcome":
        return cls(SENT, None, reference)

    @classmethod
    def retry(cls, reason: str) -> "Outcome":
        return cls(RETRY, reason[:60])

    @classmethod
    def bounced(cls, reason: str) -> "Outcome":
        return cls(BOUNCED, reason[:60])

    @classmethod
    def unsendable(cls, reason: str) -> "Outcome":
        return cls(UNSENDABLE, reason[:60])


@dataclass(frozen=True)
class OutgoingMessage:
    delivery_id: uuid.UUID
    channel: str
    address: str
    subject: str = ""
    text: str = ""
    # Webhooks: the JSON body, the event type and the subscription's secret.
    body: bytes = b""
    event_type: str = ""
    secret: str = ""
