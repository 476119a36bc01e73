"""Token providers: where the client's bearer token comes from.

- `StaticToken("eyJ...")`: a token you already have.
- `ClientCredentials(token_url, client_id, client_secret)`: OAuth 2.0 client
  credentials against the identity provider's token endpoint (service
  accounts, integrations), fetched again before it expires.
- `DevelopmentToken("coordinator", subject=practitioner_id)`: a token signed
  by a stack in development mode (`make run`); refused by any other stack,
  which says so at `/.well-known/carebridge`.
"""
from __future__ import annotations

import threading
import time

import requests

from .errors import NotDevelopment, TokenError


class TokenProvider:
    """Gives the bearer token for the next call."""

    def token(self, client) -> str:
        raise NotImplementedError

    def invalidate(self) -> bool:
        """Forget a token the API refused (401); True when a new one may be
        fetched (so the call is worth trying again)."""
        return False


class StaticToken(TokenProvider):
    def __init__(self, token: str):
        self._token = token

    def token(self, client) -> str:
        return self._token


class _Expiring(TokenProvider):
    """A token fetched when needed and kept until shortly before it expires."""

    refresh_margin = 60.0  # seconds before expiry (at most half the lifetime)

    def __init__(self):
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def token(self, client) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                token, lifetime = self._fetch(client)
                self._token = token
                self._renew_at = time.monotonic() + max(0.0, lifetime - min(self.refresh_margin, lifetime / 2))
            return self._token

    def invalidate(self) -> bool:
        with self._lock:
            self._token = None
        return True

    def _fetch(self, client) -> tuple[str, float]:
        raise NotImplementedError


class ClientCredentials(_Expiring):
    """OAuth 2.0 client credentials (RFC 6749 section 4.4): the client id and
    secret in HTTP Basic, `scope` and `audience` when given."""

    def __init__(self, token_url: str, client_id: str, client_secret: str, *, scope: str | None = None,
                 audience: str | None = None, timeout: float = 10.0):
        super().__init__()
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self.scope = scope
        self.audience = audience
        self.timeout = timeout

    def _fetch(self, client) -> tuple[str, float]:
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        if self.audience:
            form["audience"] = self.audience
        try:
            answer = requests.post(self.token_url, data=form, auth=(self.client_id, self._secret),
                                   timeout=self.timeout, headers={"Accept": "application/json"})
        except requests.RequestException as error:
            raise TokenError(f"token endpoint {self.token_url} unreachable: {type(error).__name__}") from error
        if answer.status_code != 200:
            raise TokenError(f"token endpoint {self.token_url} answered {answer.status_code}: {answer.text[:200]}")
        body = answer.json()
        if "access_token" not in body:
            raise TokenError(f"token endpoint {self.token_url} gave no access_token")
        return body["access_token"], float(body.get("expires_in", 300))


class DevelopmentToken(_Expiring):
    """A development token signed by the stack itself, for `make run`. The
    stack is asked first whether it is in development mode; any other
    answer raises NotDevelopment (a test or production stack signs nothing)."""

    def __init__(self, role: str = "coordinator", subject: str | None = None, *, service: str | None = None,
                 ttl_seconds: int = 3600):
        super().__init__()
        self.role = role
        self.subject = str(subject) if subject else None
        self.service = service
        self.ttl_seconds = ttl_seconds

    def _fetch(self, client) -> tuple[str, float]:
        service = self.service or ("patients" if "patients" in client.base_urls else next(iter(client.base_urls)))
        base = client.base_urls[service]
        try:
            described = requests.get(base + "/.well-known/carebridge", timeout=client.timeout)
        except requests.RequestException as error:
            raise TokenError(f"{base} unreachable: {type(error).__name__}") from error
        if described.status_code != 200:
            raise NotDevelopment(f"{base}/.well-known/carebridge answered {described.status_code}: "
                                 "not a CareBridge stack in development mode")
        about = described.json()
        url = about.get("tokens", {}).get("development_token_url")
        if about.get("environment") != "development" or not url:
            raise NotDevelopment(f"the stack at {base} runs in {about.get('environment')!r} mode and signs no "
                                 "development token; use ClientCredentials or StaticToken")
        answer = requests.post(base + url, json={"role": self.role, "subject": self.subject,
                                                 "ttl_seconds": self.ttl_seconds}, timeout=client.timeout)
        if answer.status_code != 200:
            raise TokenError(f"the development token was refused ({answer.status_code}): {answer.text[:200]}")
        body = answer.json()
        return body["access_token"], float(body["expires_in"])
