"""The console's settings, from the environment only (like the services')."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from collections.abc import Mapping

SERVICES = ("patients", "careplans", "scheduling", "billing", "notifications")
DEFAULT_PORTS = {"patients": 8001, "careplans": 8002, "scheduling": 8003, "billing": 8004, "notifications": 8005}


class ConfigurationError(Exception):
    """The environment asks for something that cannot work or is unsafe."""


def _bool(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class ConsoleSettings:
    environment: str = "development"
    # Signs the session cookie's id; every replica of the console shares it.
    secret_key: str = ""
    service_urls: dict = field(default_factory=dict)
    # The cookie goes over HTTPS only (production always; off in development,
    # where the console is reached over http://127.0.0.1).
    cookie_secure: bool = False
    session_idle_minutes: int = 480
    # Production sign-in: OpenID Connect authorization code flow with PKCE.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_scope: str = "openid profile email"
    # Which claim of the identity provider's access token names the roles
    # (the services read the same claim); only used to show the person's role.
    public_url: str | None = None
    # How long a service call may take before the page says so.
    request_timeout: float = 10.0

    @property
    def development(self) -> bool:
        return self.environment == "development"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "ConsoleSettings":
        env = os.environ if environ is None else environ
        environment = env.get("CAREBRIDGE_ENV", "").strip() or "development"
        if environment not in ("development", "test", "production"):
            raise ConfigurationError(f"CAREBRIDGE_ENV must be development, test or production, not {environment!r}")
        urls = {name: env.get(f"{name.upper()}_URL", f"http://127.0.0.1:{port}").rstrip("/")
                for name, port in DEFAULT_PORTS.items()}
        secret = env.get("CONSOLE_SECRET_KEY", "")
        if not secret:
            if environment == "production":
                raise ConfigurationError("CONSOLE_SECRET_KEY is required in production")
            secret = secrets.token_urlsafe(32)   # sessions end when a development console restarts
        settings = cls(
            environment=environment,
            secret_key=secret,
            service_urls=urls,
            cookie_secure=_bool(env.get("CONSOLE_COOKIE_SECURE", "true" if environment == "production" else "false")),
            session_idle_minutes=int(env.get("CONSOLE_SESSION_IDLE_MINUTES", "480")),
            oidc_issuer=env.get("OIDC_ISSUER") or None,
            oidc_client_id=env.get("OIDC_CLIENT_ID") or None,
            oidc_client_secret=env.get("OIDC_CLIENT_SECRET") or None,
            oidc_scope=env.get("OIDC_SCOPE", "openid profile email"),
            public_url=(env.get("CONSOLE_PUBLIC_URL") or "").rstrip("/") or None,
            request_timeout=float(env.get("CONSOLE_REQUEST_TIMEOUT", "10")),
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.environment == "production":
            if not self.cookie_secure:
                raise ConfigurationError("CONSOLE_COOKIE_SECURE cannot be off in production")
            if not (self.oidc_issuer and self.oidc_client_id):
                raise ConfigurationError("production sign-in needs OIDC_ISSUER and OIDC_CLIENT_ID")
