"""Bearer JWTs (PyJWT): signature, issuer, audience, expiry (with a small
leeway) and the token's lifetime are checked on every token; `alg: none`
and any algorithm not configured are refused.

Keys: in production the identity provider's public keys, from its JWKS URL
(cached, picked by the token's `kid`, fetched again for a `kid` not seen
yet, which is how a rotated key arrives) or one PEM public key; a shared
HS* secret only in development and tests, or where production enables it
on purpose (`carebridge.config.Settings.check`).

Identity providers name claims differently, so the claim holding the roles
(a dotted path reaches a nested one, e.g. Keycloak's `realm_access.roles`),
the staff subject and a service's name are settings. A token with the
`service` role is another CareBridge service calling with its own
client-credentials identity: its service claim must name a known service,
and it carries no other role.
"""
from __future__ import annotations

import time
import uuid

import jwt

from ..config import SERVICE_PORTS, SYMMETRIC_ALGORITHMS, Settings
from .principal import Principal
from .roles import ROLES, SERVICE_ROLE

REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]
# The services that may hold a service identity.
KNOWN_SERVICES = frozenset(SERVICE_PORTS)

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


def claim(claims: dict, name: str):
    """The claim `name`: taken whole if the token has it (Auth0 names custom
    claims by URL, dots included), else followed as a dotted path."""
    if name in claims:
        return claims[name]
    value = claims
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


class TokenVerifier:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.algorithms = list(settings.jwt_algorithms)
        self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url, cache_jwk_set=True,
                                     lifespan=settings.jwt_jwks_cache_seconds,
                                     cooldown_duration=settings.jwt_jwks_refresh_cooldown_seconds,
                                     timeout=settings.http_read_timeout) if settings.jwt_jwks_url else None
        # token -> (principal, valid from, valid until, remembered until)
        self._verified: dict[str, tuple[Principal, float, float, float]] = {}

    def _key_for(self, token: str) -> tuple[object, str]:
        """The key for the token's own algorithm (a secret only for HS*, so
        a public key is never taken as an HMAC secret), and that algorithm."""
        algorithm = jwt.get_unverified_header(token).get("alg")
        if algorithm not in self.algorithms:
            raise InvalidToken("algorithm not accepted")
        if algorithm in SYMMETRIC_ALGORITHMS:
            return self.settings.jwt_secret, algorithm
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key, algorithm
        if self.settings.jwt_public_key:
            return self.settings.jwt_public_key, algorithm
        raise InvalidToken("no key configured for asymmetric tokens")

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
            key, algorithm = self._key_for(token)
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[algorithm],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                leeway=self.settings.jwt_leeway_seconds,
                options={"require": REQUIRED_CLAIMS},
            )
        except (jwt.PyJWTError, ValueError) as error:
            raise InvalidToken(type(error).__name__) from None
        lifetime = claims["exp"] - claims["iat"]
        if not isinstance(lifetime, (int, float)) or lifetime > self.settings.jwt_max_lifetime_seconds:
            raise InvalidToken("token lives longer than JWT_MAX_LIFETIME_SECONDS")
        return self._principal(claims), claims

    def _principal(self, claims: dict) -> Principal:
        roles = claim(claims, self.settings.jwt_roles_claim)
        if isinstance(roles, str):
            roles = roles.split()
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise InvalidToken("roles claim is not a list of strings")
        known = frozenset(r for r in roles if r in ROLES)
        if not known:
            raise InvalidToken("token carries no CareBridge role")
        if SERVICE_ROLE in known:
            service = claim(claims, self.settings.jwt_service_claim)
            if known != {SERVICE_ROLE} or service not in KNOWN_SERVICES:
                raise InvalidToken("a service token must name a CareBridge service and carry no other role")
            return Principal(subject=f"service:{service}", roles=known, service=service)
        subject = claim(claims, self.settings.jwt_subject_claim)
        if not isinstance(subject, str) or not subject:
            raise InvalidToken("token carries no subject")
        return Principal(subject=subject, roles=known)


def issue_token(settings: Settings, roles: list[str] | str, subject: str | None = None,
                ttl_seconds: int = 3600, audience: str | None = None, issuer: str | None = None) -> str:
    """Sign a token with the configured secret or private key: development,
    tests, and a development service's own service token. In production
    only the identity provider signs (no pod has a key to sign with)."""
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
    if algorithm not in SYMMETRIC_ALGORITHMS:
        if not settings.jwt_private_key:
            raise ValueError(f"{algorithm} tokens need JWT_PRIVATE_KEY")
        return jwt.encode(claims, settings.jwt_private_key, algorithm=algorithm)
    return jwt.encode(claims, settings.jwt_secret, algorithm=algorithm)


def service_token(settings: Settings, ttl_seconds: int = 300) -> str:
    """A development service's own service token: role `service`, subject
    the service's name. Production gets it from the identity provider
    instead (`carebridge.http_client.ClientCredentials`)."""
    return issue_token(settings, [SERVICE_ROLE], subject=settings.service, ttl_seconds=ttl_seconds)
