"""Telehealth visits' video rooms: one per appointment, unguessable.

The room adapter is chosen by TELEHEALTH_PROVIDER: `placeholder` (a link
under TELEHEALTH_JOIN_BASE_URL, the development default) or `jitsi` (a Jitsi
Meet room at JITSI_BASE_URL, optionally with a Jitsi JWT for that room only,
valid from an hour before the visit to an hour after it). The room name is
derived from the appointment's random token, never from its id.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import jwt

PROVIDERS = ("placeholder", "jitsi")
TOKEN_MARGIN = timedelta(hours=1)


def new_join_token() -> str:
    # 32 random bytes: the link itself admits the patient to the call, so it
    # must not be derivable from the appointment id or anything else.
    return secrets.token_urlsafe(32)


def join_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/{token}"


@dataclass(frozen=True)
class PlaceholderRooms:
    base_url: str

    def join_url(self, token: str, start: datetime, end: datetime) -> str:
        return join_url(self.base_url, token)


@dataclass(frozen=True)
class JitsiRooms:
    base_url: str
    app_id: str | None = None
    app_secret: str | None = None

    @staticmethod
    def room_name(token: str) -> str:
        # Letters and digits only (Jitsi folds case): 160 bits of the token.
        return "CareBridge" + hashlib.sha256(token.encode()).hexdigest()[:40]

    def join_url(self, token: str, start: datetime, end: datetime) -> str:
        room = self.room_name(token)
        url = f"{self.base_url.rstrip('/')}/{room}"
        if not self.app_secret:
            return url
        claims = {"aud": "jitsi", "iss": self.app_id or "carebridge", "sub": urlsplit(self.base_url).hostname,
                  "room": room, "nbf": int((start - TOKEN_MARGIN).timestamp()),
                  "exp": int((end + TOKEN_MARGIN).timestamp())}
        return f"{url}?jwt={jwt.encode(claims, self.app_secret, algorithm='HS256')}"


def rooms(settings) -> PlaceholderRooms | JitsiRooms:
    """The room adapter the settings choose."""
    if settings.telehealth_provider == "jitsi":
        return JitsiRooms(settings.jitsi_base_url, settings.jitsi_app_id, settings.jitsi_app_secret)
    return PlaceholderRooms(settings.telehealth_join_base_url)
