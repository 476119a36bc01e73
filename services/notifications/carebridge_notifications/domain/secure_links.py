"""Links to the secure message page: what a patient or relative holds
instead of a staff token.

A link names one notification (which is already one message to one
recipient), the recipient it was made for and when it stops working, and
carries an HMAC-SHA256 of all three under `MESSAGE_LINK_SECRET`. The
notification id is random (UUID4), the signature 128 bits: a link cannot be
guessed, changed to reach another message or person, or stretched past its
expiry without the key. Nothing in it is personal: identifiers and a time.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .vocabulary import PATIENT, RELATED_PERSON

_KINDS = {PATIENT: 1, RELATED_PERSON: 2}
_KIND_NAMES = {number: name for name, number in _KINDS.items()}
_LAYOUT = struct.Struct(">16sB16sI")  # notification, recipient kind, recipient, expiry (epoch seconds)
_SIGNATURE_BYTES = 16


class BadLink(Exception):
    """Not a link this service made, or one changed since."""


class ExpiredLink(Exception):
    """A genuine link whose time is up."""

    def __init__(self, link: "MessageLink"):
        super().__init__("the link has expired")
        self.link = link


@dataclass(frozen=True)
class MessageLink:
    notification_id: uuid.UUID
    recipient_type: str
    recipient_id: uuid.UUID
    expires_at: datetime


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), b"carebridge-message-link\x00" + payload,
                    hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def make_token(secret: str, *, notification_id: uuid.UUID, recipient_type: str, recipient_id: uuid.UUID,
               now: datetime, days: int) -> str:
    expires = int((now + timedelta(days=days)).timestamp())
    payload = _LAYOUT.pack(notification_id.bytes, _KINDS[recipient_type], recipient_id.bytes, expires)
    return f"{_b64(payload)}.{_b64(_signature(secret, payload))}"


def read_token(secret: str, token: str, *, now: datetime) -> MessageLink:
    """The link's contents; BadLink when it was not made with `secret` or
    was changed, ExpiredLink when it is genuine but too old."""
    encoded, _, signature = (token or "").partition(".")
    try:
        payload, given = _unb64(encoded), _unb64(signature)
    except (ValueError, TypeError) as error:
        raise BadLink("not a message link") from error
    if _b64(payload) != encoded or _b64(given) != signature:
        # Base64 leaves spare bits in the last character: only the one
        # spelling this service wrote is the link, never a look-alike.
        raise BadLink("not the canonical spelling of a link")
    if len(payload) != _LAYOUT.size or not hmac.compare_digest(given, _signature(secret, payload)):
        raise BadLink("the signature does not match")
    notification, kind, recipient, expires = _LAYOUT.unpack(payload)
    if kind not in _KIND_NAMES:
        raise BadLink("unknown recipient kind")
    link = MessageLink(uuid.UUID(bytes=notification), _KIND_NAMES[kind], uuid.UUID(bytes=recipient),
                       datetime.fromtimestamp(expires, tz=timezone.utc))
    if now >= link.expires_at:
        raise ExpiredLink(link)
    return link


def link_key(token: str) -> str:
    """What the rate limit counts a link by (a digest: the token itself is a
    credential and is never stored)."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:40]
