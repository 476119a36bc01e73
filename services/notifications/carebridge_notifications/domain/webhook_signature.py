"""Signatures of webhook calls: HMAC-SHA256 with the subscription's secret
over "<timestamp>.<body>", so a receiver can tell the call came from us and
refuse replays of old ones.

    X-CareBridge-Timestamp: 1772460000
    X-CareBridge-Signature: sha256=<hex digest>
"""
from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-CareBridge-Timestamp"
SIGNATURE_HEADER = "X-CareBridge-Signature"
DELIVERY_HEADER = "X-CareBridge-Delivery"
EVENT_TYPE_HEADER = "X-CareBridge-Event-Type"
SCHEME = "sha256="
DEFAULT_TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return SCHEME + digest


def signed_headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature(secret, timestamp, body)}


def verify(secret: str, headers, body: bytes, now: float, tolerance: int = DEFAULT_TOLERANCE_SECONDS) -> bool:
    """What a receiver does: a fresh timestamp and a matching signature."""
    try:
        timestamp = int(headers[TIMESTAMP_HEADER])
    except (KeyError, TypeError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), headers.get(SIGNATURE_HEADER, ""))
