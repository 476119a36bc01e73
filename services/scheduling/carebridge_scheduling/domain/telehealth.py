"""Join links of telehealth visits: one per appointment, unguessable."""
from __future__ import annotations

import secrets


def new_join_token() -> str:
    # 32 random bytes: the link itself admits the patient to the call, so it
    # must not be derivable from the appointment id or anything else.
    return secrets.token_urlsafe(32)


def join_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/{token}"
