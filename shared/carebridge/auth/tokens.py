"""Bearer JWTs (PyJWT): issuer, audience, expiry and algorithm are checked on
every token; `alg: none` and any algorithm not configured are refused.

Keys come from configuration: a shared secret (HS256) in development, an RS256
public key or a JWKS URL in production.
"""
from __future__ import annotations

import time
import uuid

import jwt

from ..config import Settings
from .principal import Principal
from .roles import ROLES

REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]

# Fixed subjects for development tokens, so a token printed yesterday still
# names the same (seeded) practitioner.
DEV_SUBJECTS = {role: str(uuid.uuid5(uuid.NAMESPACE_URL, f"carebridge-dev/{role}")) for role in ROLES}


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not ours."""


# A client sends the same token with every request until it expires, so a
# verified token is remembered (by its exact text) and only its time window is
# checked again. A remembered token is verified afresh after this long at
# most, so a key withdrawn from the JWKS stops working within it.
VERIFIED_CACHE_SECONDS = 300
VERIFIED_CACHE_SIZE = 10_000


class TokenVerifier:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.algorithms = [a for a in settings.jwt_algorithms if a.lower() != "none"]
        self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True) if settings.jwt_jwks_url else None
        # token -> (principal, valid from, valid until, remembered until)
        self._verified: dict[str, tuple[Principal, float, float, float]] = {}

    def _key_for(self, token: str):
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key
        if any(a.startswith(("RS", "ES", "PS")) for a in self.algorithms) and self.settings.jwt_public_key:
            return self.settings.jwt_public_key
        return self.settings.jwt_secret

    def verify(self, token: str) -> Principal:
        now = time.time()
        known = self._verified.get(token)
        if known is not None:
            principal, not_before, expires, remembered_until = known
            if not_before <= now < expires and now < remembered_until:
                return principal
            self._verified.pop(token, None)
        principal, claims = self._verify(token)
        leeway = self.settings.jwt_leeway_seconds
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = (principal, float(claims.get("nbf", claims["iat"])) - leeway,
                                 float(claims["exp"]) + leeway, now + VERIFIED_CACHE_SECONDS)
        return principal

    def _verify(self, token: str) -> tuple[Principal, dict]:
        try:
            claims = jwt.decode(
                token,
                key=self._key_for(token),
                algorithms=self.algorithms,
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                leeway=self.settings.jwt_leeway_seconds,
                options={"require": REQUIRED_CLAIMS},
            )
        except (jwt.PyJWTError, ValueError) as error:
            raise InvalidToken(type(error).__name__) from None
        roles = claims.get("roles", [])
        if isinstance(roles, str):
            roles = [roles]
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise InvalidToken("roles claim is not a list of strings")
        known = frozenset(r for r in roles if r in ROLES)
        if not known:
            raise InvalidToken("token carries no CareBridge role")
        return Principal(subject=str(claims["sub"]), roles=known), claims


def issue_token(settings: Settings, roles: list[str] | str, subject: str | None = None,
                ttl_seconds: int = 8 * 3600, audience: str | None = None, issuer: str | None = None) -> str:
    """Sign a token with the configured secret or private key (development,
    tests and service-to-service calls)."""
    roles = [roles] if isinstance(roles, str) else list(roles)
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s) {sorted(unknown)}; choose from {', '.join(ROLES)}")
    now = int(time.time())
    claims = {
        "iss": issuer or settings.jwt_issuer,
        "aud": audience or settings.jwt_audience,
        "sub": subject or DEV_SUBJECTS[roles[0]],
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
        "roles": roles,
    }
    algorithm = settings.jwt_algorithms[0]
    if algorithm.startswith(("RS", "ES", "PS")):
        if not settings.jwt_private_key:
            raise ValueError(f"{algorithm} tokens need JWT_PRIVATE_KEY")
        return jwt.encode(claims, settings.jwt_private_key, algorithm=algorithm)
    return jwt.encode(claims, settings.jwt_secret, algorithm=algorithm)


def service_token(settings: Settings) -> str:
    """The token this service presents to the others."""
    if settings.service_token:
        return settings.service_token
    return issue_token(settings, ["service"], subject=f"service:{settings.service}", ttl_seconds=3600)
