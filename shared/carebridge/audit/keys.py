"""The audit trail's keys, derived from AUDIT_HMAC_KEY, which the database
never sees:

- the HMAC key of the chain: each record's hash is HMAC-SHA256 over the
  previous record's hash and the record, so changing or removing a record
  breaks the chain in a way nobody without the key can repair;
- an Ed25519 key pair for the chain heads' checkpoints, its private half
  derived from the same secret (HKDF). A checkpoint is checked with the
  public half alone: whoever keeps or reads checkpoints (another service, an
  auditor, an object store's reader) can tell a real one from a forgery
  without being able to forge one, which an HMAC would not allow.

Each key has an id (a digest, not the key), stored with what it made, so
that records and checkpoints made before a rotation are checked with the
earlier key (AUDIT_PREVIOUS_HMAC_KEYS).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from functools import cached_property

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_SIGNING_KEY_INFO = b"carebridge audit checkpoint signing key v1"
_KEY_ID_INFO = b"carebridge audit key id v1"


@dataclass(frozen=True)
class AuditKey:
    secret: bytes = field(repr=False)

    @cached_property
    def id(self) -> str:
        return hmac.new(self.secret, _KEY_ID_INFO, hashlib.sha256).hexdigest()[:16]

    def mac(self, prev_hash: str, canonical: str) -> str:
        return hmac.new(self.secret, (prev_hash + canonical).encode(), hashlib.sha256).hexdigest()

    @cached_property
    def signing_key(self) -> Ed25519PrivateKey:
        seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_SIGNING_KEY_INFO).derive(self.secret)
        return Ed25519PrivateKey.from_private_bytes(seed)

    @cached_property
    def public_key(self) -> str:
        raw = self.signing_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def sign(self, payload: bytes) -> str:
        return base64.b64encode(self.signing_key.sign(payload)).decode()


def signature_valid(public_key: str, payload: bytes, signature: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(signature, validate=True), payload)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


class AuditKeys:
    """The current key (appends and checkpoints) and earlier ones (checks)."""

    def __init__(self, current: str, previous: tuple[str, ...] = ()):
        self.current = AuditKey(current.encode())
        self.all = {key.id: key for key in [self.current, *(AuditKey(p.encode()) for p in previous)]}

    @classmethod
    def from_settings(cls, settings) -> "AuditKeys":
        return cls(settings.audit_hmac_key, settings.audit_previous_hmac_keys)

    def get(self, key_id: str) -> AuditKey | None:
        return self.all.get(key_id)

    @property
    def public_keys(self) -> set[str]:
        return {key.public_key for key in self.all.values()}
