"""Settings come from environment variables only, and are declared once.

Every setting is a field declared with `setting(default, "what it means")`:
the kit's own in `Settings` below, each service's in its own frozen dataclass
named on its `ServiceDefinition(settings=...)`. The declaration is the
documentation: `carebridge settings --markdown` (and docs/settings.md, which
a test keeps current) lists every variable, its default and whether
production requires it.

    @dataclass(frozen=True)
    class SchedulingSettings:
        noshow_grace_minutes: int = setting(15, "A booked visit not checked in this long "
                                                "after its start is a no-show.", minimum=0)

Every value has a safe development default so that `carebridge dev` runs with
nothing configured. In production (`CAREBRIDGE_ENV=production`) the defaults
that would be unsafe there (symmetric tokens unless enabled on purpose, the
development JWT secret, a signing key, the controllable test clock, the
in-memory bus) are refused at start-up instead of silently used.

A variable can be set for one service by prefixing it with the service name in
upper case (`PATIENTS_DATABASE_URL`); that wins over the plain name
(`DATABASE_URL`). Real mode gives each process its own environment and uses the
plain names; the embedded dev stack runs every service in one process and
needs the prefixed ones.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Collection, Mapping
from urllib.parse import unquote, urlsplit

DEV_JWT_SECRET = "carebridge-development-secret-not-for-production"
SYMMETRIC_ALGORITHMS = ("HS256", "HS384", "HS512")
ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512")
DEV_AUDIT_HMAC_KEY = "carebridge-development-audit-key-not-for-production"
# An HMAC key shorter than the hash (32 bytes) weakens it.
MIN_AUDIT_KEY_LENGTH = 32

SERVICE_PORTS = {
    "patients": 8001,
    "careplans": 8002,
    "scheduling": 8003,
    "billing": 8004,
    "notifications": 8005,
    "monitoring": 8006,
}


class ConfigurationError(RuntimeError):
    """The environment asks for something that cannot work or is unsafe."""


# -- declaring a setting ------------------------------------------------------

def setting(default: Any, doc: str, *, env: str | None = None, parse: Callable[[str], Any] | None = None,
            minimum: float | None = None, choices: tuple[str, ...] | None = None,
            required_in_production: bool = False, secret: bool = False):
    """A dataclass field read from the environment variable `env` (the
    field's name in upper case unless given), parsed by `parse` (by default
    from the type of `default`), checked against `minimum` (for numbers, and
    for each item of a list) and `choices`."""
    return field(default=default, metadata={"setting": SettingSpec(
        doc=doc, env=env, parse=parse, minimum=minimum, choices=choices,
        required_in_production=required_in_production, secret=secret)})


@dataclass(frozen=True)
class SettingSpec:
    doc: str
    env: str | None
    parse: Callable[[str], Any] | None
    minimum: float | None
    choices: tuple[str, ...] | None
    required_in_production: bool
    secret: bool


@dataclass(frozen=True)
class DeclaredSetting:
    """One declared setting, as the settings table shows it."""
    name: str
    env: str
    default: Any
    spec: SettingSpec


def declared_settings(cls) -> list[DeclaredSetting]:
    found = []
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("setting")
        if spec is not None:
            found.append(DeclaredSetting(f.name, spec.env or f.name.upper(), f.default, spec))
    return found


def parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a yes/no value: {raw!r}")


def list_of(kind: Callable[[str], Any]) -> Callable[[str], tuple]:
    """Parses "1,5,30" into a tuple of `kind`."""
    def parse(raw: str) -> tuple:
        return tuple(kind(part.strip()) for part in raw.split(",") if part.strip())
    parse.__name__ = f"list of {getattr(kind, '__name__', 'values')}"
    return parse


def optional(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    """Parses with `kind`, an empty value meaning None."""
    def parse(raw: str):
        return kind(raw) if raw.strip() else None
    parse.__name__ = getattr(kind, "__name__", "value")
    return parse


def mapping_of(kind: Callable[[str], Any], *, keys: Collection[str], minimum: float | None = None
               ) -> Callable[[str], dict]:
    """Parses "hospital=24;nursing-home=72" into {"hospital": 24, ...}: each
    value read by `kind` (e.g. `int`, or `list_of(int)` for "a=1440,120"),
    each name one of `keys` and named once, every number at least `minimum`."""
    def parse(raw: str) -> dict:
        found: dict[str, Any] = {}
        for part in filter(None, (piece.strip() for piece in raw.split(";"))):
            name, equals, value = (piece.strip() for piece in part.partition("="))
            if not equals or not value:
                raise ValueError(f"{part!r} is not name=value")
            if name not in keys:
                raise ValueError(f"{name!r} is not one of {', '.join(sorted(keys))}")
            if name in found:
                raise ValueError(f"{name!r} is named twice")
            parsed = kind(value)
            numbers = parsed if isinstance(parsed, tuple) else (parsed,)
            if not numbers or (minimum is not None and min(numbers) < minimum):
                raise ValueError(f"{name!r} needs values of at least {minimum}")
            found[name] = parsed
        return found
    parse.__name__ = f"name=value;... of {getattr(kind, '__name__', 'values')}"
    return parse


def checked_by(parse: Callable[[str], Any]) -> Callable[[str], str]:
    """For a setting kept as written (a mapping: its default then reads as
    the variable would be set): `parse` checks it at start-up, and the
    service parses it again where it uses it."""
    def check(raw: str) -> str:
        parse(raw)
        return raw
    check.__name__ = parse.__name__
    return check


def _parser_for(item: DeclaredSetting) -> Callable[[str], Any]:
    if item.spec.parse is not None:
        return item.spec.parse
    default = item.default
    if isinstance(default, bool):
        return parse_bool
    if isinstance(default, (int, float, str, Path)):
        return type(default)
    if isinstance(default, tuple) and default:
        return list_of(type(default[0]))
    raise TypeError(f"setting {item.name} needs parse=: its default {default!r} does not say how to read it")


def _check_value(item: DeclaredSetting, value: Any) -> None:
    spec = item.spec
    if spec.choices is not None and value not in spec.choices:
        raise ConfigurationError(f"{item.env} must be one of {', '.join(spec.choices)}, not {value!r}")
    if spec.minimum is not None and value is not None:
        for number in value if isinstance(value, tuple) else (value,):
            if number < spec.minimum:
                raise ConfigurationError(f"{item.env} must be at least {spec.minimum}, not {number}")


def read_declared(cls, read: Callable[[str], str | None], only: set[str] | None = None, **given) -> dict:
    """The values of `cls`'s declared settings from `read(ENV_NAME)`, parsed
    and checked (those named in `only`, if given); names in `given` are taken
    as they are."""
    values = dict(given)
    for item in declared_settings(cls):
        if item.name in values or (only is not None and item.name not in only):
            continue
        raw = read(item.env)
        # An empty variable is an unset one (`FOO=` in an env file).
        if raw is None or raw.strip() == "":
            values[item.name] = item.default
            continue
        try:
            value = _parser_for(item)(raw)
        except ValueError as error:
            raise ConfigurationError(f"{item.env}={'***' if item.spec.secret else repr(raw)} "
                                     f"cannot be read: {error}") from None
        _check_value(item, value)
        values[item.name] = value
    return values


def load_service_settings(cls, settings: "Settings"):
    """A service's own settings object (`ServiceDefinition.settings`), read
    from the same environment as the kit's (`<SERVICE>_<NAME>`, else
    `<NAME>`). A class may define `resolve(self, kit_settings)` for defaults
    that depend on other settings and for checks across settings; it returns
    the finished object."""
    values = read_declared(cls, lambda name: settings.get(name))
    loaded = cls(**values)
    resolve = getattr(loaded, "resolve", None)
    return resolve(settings) if resolve is not None else loaded


# -- the kit's own settings --------------------------------------------------

@dataclass(frozen=True)
class Settings:
    service: str
    environment: str = setting("development", "Runtime mode: development, test or production.",
                               env="CAREBRIDGE_ENV", choices=("development", "test", "production"))
    database_url: str = setting("", "The service's database (SQLAlchemy URL). Default: a SQLite file "
                                    "in the data folder.", required_in_production=True, secret=True)
    broker_url: str = setting("memory://", "RabbitMQ (amqp://...). Default: kombu's in-memory bus, "
                                           "which production refuses.", required_in_production=True,
                              secret=True)
    # Prefix for exchange and queue names, so that test runs sharing one
    # broker cannot see each other's messages. Empty in production.
    bus_namespace: str = setting("", "Prefix of exchange and queue names (test runs sharing a broker).")
    # Who may publish which event: each service's worker logs in to the
    # broker as its own user, the broker stamps that user on every message
    # (AMQP user_id, which it checks against the login), and a consumer
    # applies an event only when its user is the one of the type's producer.
    broker_user_template: str = setting("{service}", "The broker user each service's worker logs in as "
                                                     "(`{service}`: the service's name). A consumer applies an "
                                                     "event only if the broker says this user of the event "
                                                     "type's producer published it.")
    data_dir: Path = setting(Path("data"), "Folder for SQLite files and development mail/SMS.",
                             env="CAREBRIDGE_DATA_DIR")

    jwt_algorithms: tuple[str, ...] = setting(("HS256",), "Accepted token signature algorithms. Production: "
                                                         "RS256/ES256 (PS*, RS/ES384-512 too); HS* only with "
                                                         "JWT_ALLOW_SYMMETRIC.")
    jwt_secret: str = setting(DEV_JWT_SECRET, "Shared secret for HS* tokens (development and tests). "
                                              "Production refuses the development one and any shorter than "
                                              "JWT_MIN_SECRET_BYTES.", secret=True)
    jwt_allow_symmetric: bool = setting(False, "Accept HS* tokens in production (every pod holding the secret "
                                               "can then sign tokens: only where no identity provider can be used).")
    jwt_min_secret_bytes: int = setting(32, "Shortest JWT_SECRET production accepts, in bytes.", minimum=32)
    jwt_public_key: str = setting("", "PEM public key for RS*/ES*/PS* tokens (instead of JWT_JWKS_URL).")
    jwt_private_key: str = setting("", "PEM private key with which development and tests sign asymmetric "
                                       "tokens; refused in production (only the identity provider signs).",
                                   secret=True)
    jwt_jwks_url: str = setting("", "JWKS URL of the identity provider (keys picked by the token's kid).")
    jwt_jwks_cache_seconds: float = setting(300.0, "Seconds the JWKS is kept before it is fetched again.",
                                            minimum=1)
    # A token whose kid is not in the cached set fetches the set again (a key
    # just rotated in), but not more often than this, so that tokens with
    # made-up kids cannot turn every request into a call to the provider.
    jwt_jwks_refresh_cooldown_seconds: float = setting(10.0, "Least seconds between two fetches of the JWKS "
                                                             "caused by an unknown kid.", minimum=0)
    jwt_issuer: str = setting("carebridge-dev", "Expected token issuer (iss).")
    jwt_audience: str = setting("carebridge", "Expected token audience (aud).")
    jwt_leeway_seconds: int = setting(5, "Clock skew tolerated on token expiry and not-before.", minimum=0)
    jwt_max_lifetime_seconds: int = setting(3600, "Longest token lifetime (exp - iat) accepted.", minimum=60)
    jwt_roles_claim: str = setting("roles", "Claim holding the CareBridge roles; a dotted path reads a nested "
                                            "claim (Keycloak: realm_access.roles).")
    jwt_subject_claim: str = setting("sub", "Claim holding a staff member's practitioner id.")
    jwt_service_claim: str = setting("sub", "Claim naming the calling service in a `service`-role token "
                                            "(Keycloak, Auth0: azp).")

    # How this service gets the token it presents to the others: OAuth 2.0
    # client credentials from the identity provider. Without a token URL a
    # development or test process signs its own.
    service_token_url: str = setting("", "Token endpoint of the identity provider, for this service's "
                                         "client-credentials token. Required in production by a service that "
                                         "calls another.")
    service_client_id: str = setting("", "This service's client id at the identity provider. Default: the "
                                         "service's name.")
    service_client_secret: str = setting("", "This service's client secret at the identity provider.",
                                         secret=True)
    service_token_audience: str = setting("", "`audience` parameter of the token request, for providers that "
                                              "need one (Auth0: the API identifier).")
    # The audit trail (carebridge.audit): a keyed chain, so that a record
    # changed or removed in the database (by anyone without this key, which
    # never reaches the database) no longer verifies.
    audit_hmac_key: str = setting(DEV_AUDIT_HMAC_KEY, "Key of the audit trail's HMAC chain and of its "
                                                      "checkpoints' signing key; at least 32 characters. "
                                                      "The development one is refused in production.",
                                  secret=True)
    audit_previous_hmac_keys: tuple[str, ...] = setting((), "Earlier audit keys, comma-separated, still "
                                                            "needed to verify records written before a "
                                                            "rotation.", secret=True)
    audit_checkpoint_dir: Path | None = setting(None, "Folder the signed checkpoints of the audit chains are "
                                                      "appended to by the worker (production: a write-once "
                                                      "mount, which it requires). Default: `audit-checkpoints` "
                                                      "in the data folder.",
                                                parse=optional(Path), required_in_production=True)
    audit_checkpoint_interval: float = setting(60.0, "Seconds between checkpoints of the audit chains "
                                                     "(at most 60 in production).",
                                               env="AUDIT_CHECKPOINT_INTERVAL_SECONDS", minimum=1)
    # Migrations run as the database's owner role; the service runs as a
    # role that may not change or remove audit records.
    database_runtime_role: str = setting("", "The role the service runs as: `carebridge migrate` (as the "
                                             "owner role) grants it every table, the audit tables for "
                                             "reading and appending only.")

    # Consumer behaviour: growing delays between attempts of a failing
    # message; after the last one it is dead-lettered.
    retry_delays: tuple[float, ...] = setting((1.0, 5.0, 30.0, 120.0, 600.0),
                                              "Seconds between attempts of a failing message.", minimum=0)
    # Safety net on the queue itself for a message that kills its worker every
    # time (so the handler never gets to count the failure).
    delivery_limit: int = setting(20, "Deliveries of one message before the broker dead-letters it.",
                                  minimum=1)
    prefetch_count: int = setting(32, "Messages a consumer holds unacknowledged.", minimum=1)
    # Consumers per worker process, each on its own broker channel and
    # database connection: while one waits for its database round trips and
    # commit, another applies its burst. Handlers already take events out of
    # order and concurrently (worker replicas, redeliveries), so this adds
    # no new case. The in-memory broker of the dev stack gets one.
    consumer_threads: int = setting(2, "Consumers per worker process.", minimum=1)

    relay_batch_size: int = setting(100, "Outbox rows the relay publishes per batch.", minimum=1)
    relay_poll_interval: float = setting(0.05, "Seconds between the relay's looks at an empty outbox.",
                                         minimum=0.001)
    relay_retention_days: int = setting(7, "Days published outbox rows are kept.", minimum=0)

    idempotency_ttl_hours: float = setting(24.0, "Hours a stored response is replayed for its Idempotency-Key; "
                                                 "older ones are deleted.", minimum=0.01)

    http_connect_timeout: float = setting(2.0, "Seconds to connect to another service.", minimum=0.01)
    http_read_timeout: float = setting(5.0, "Seconds to wait for another service's answer.", minimum=0.01)
    http_retries: int = setting(3, "Retries of an idempotent call to another service.", minimum=0)

    # Upper bound on every periodic job's interval (tests and demos make the
    # sweeps run every second instead of every few minutes). None: as coded.
    job_interval_cap: float | None = setting(None, "Upper bound in seconds on every periodic job's "
                                                   "interval (tests, demos).", env="JOB_INTERVAL_CAP_SECONDS",
                                             parse=optional(float), minimum=0.01)
    worker_health_port: int | None = setting(None, "Port of the worker's /healthz and /metrics.",
                                             parse=optional(int), minimum=1)
    clock: str = setting("system", "'system', or a test clock ('file:PATH'); production needs 'system'.",
                         env="CAREBRIDGE_CLOCK")
    log_level: str = setting("INFO", "Log level (DEBUG, INFO, WARNING, ERROR).")
    log_json: bool = setting(True, "Log one JSON object per line.")
    service_urls: Mapping[str, str] = field(default_factory=dict)
    # Everything in the environment, for the service's own settings
    # (`<SERVICE>_<NAME>` over `<NAME>`).
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_memory_bus(self) -> bool:
        return self.broker_url.startswith("memory://")

    @property
    def checkpoint_dir(self) -> Path:
        return self.audit_checkpoint_dir or Path(self.data_dir) / "audit-checkpoints"

    def broker_user_of(self, service: str) -> str:
        """The broker user `service`'s worker publishes as."""
        return self.broker_user_template.format(service=service)

    @property
    def broker_user(self) -> str:
        """The user this process publishes as: the one its broker URL logs
        in as (the broker refuses any other), or on the in-memory bus, which
        has no users, the one the template gives this service."""
        if self.uses_memory_bus:
            return self.broker_user_of(self.service)
        return unquote(urlsplit(self.broker_url).username or "guest")

    def url_of(self, service: str) -> str:
        try:
            return self.service_urls[service]
        except KeyError:
            raise ConfigurationError(
                f"no URL configured for the {service} service "
                f"(set {service.upper()}_URL)") from None

    def get(self, name: str, default: str | None = None) -> str | None:
        """A raw variable: `<SERVICE>_<NAME>` if set, else `<NAME>`, else
        `default`. Services declare their settings instead of reading these."""
        return self.extra.get(name, default)

    def with_overrides(self, **overrides) -> "Settings":
        return replace(self, **overrides)

    @staticmethod
    def _reader(service: str, env: Mapping[str, str]) -> Callable[[str], str | None]:
        prefix = service.upper() + "_"
        return lambda name: env.get(prefix + name, env.get(name))

    @staticmethod
    def _default_database_url(service: str, data_dir) -> str:
        return f"sqlite:///{Path(data_dir) / (service + '.db')}"

    @classmethod
    def database_url_from_env(cls, service: str, environ: Mapping[str, str] | None = None) -> str:
        """The service's database URL and nothing else, for the commands that
        need only the database (`carebridge migrate`, `carebridge audit
        verify`): a migration container is given DATABASE_URL alone, so the
        production checks of the other settings (JWT secret, broker) must not
        stop it. Production still needs the URL set: a migration into a
        throw-away SQLite file would succeed and leave the real schema behind."""
        env = os.environ if environ is None else environ
        values = read_declared(cls, cls._reader(service, env), only={"environment", "database_url", "data_dir"})
        if values["database_url"]:
            return values["database_url"]
        if values["environment"] == "production":
            raise ConfigurationError("DATABASE_URL is required in production")
        return cls._default_database_url(service, values["data_dir"])

    @classmethod
    def from_env(cls, service: str, environ: Mapping[str, str] | None = None, *, check: bool = True) -> "Settings":
        """The settings from `environ` (the process's by default), checked for
        the runtime mode unless `check=False` (commands that do not run the
        service, such as migrations, need no JWT or audit key)."""
        env = os.environ if environ is None else environ
        prefix = service.upper() + "_"
        read = cls._reader(service, env)

        service_urls = {
            name: env.get(name.upper() + "_URL", f"http://127.0.0.1:{port}")
            for name, port in SERVICE_PORTS.items()
        }
        # Plain names first, then the service-prefixed ones over them.
        extra = {k: v for k, v in env.items() if k.isupper()}
        extra.update({k[len(prefix):]: v for k, v in env.items() if k.startswith(prefix)})
        values = read_declared(cls, read, service=service, service_urls=service_urls, extra=extra)
        if not values["database_url"]:
            values["database_url"] = cls._default_database_url(service, values["data_dir"])
        settings = cls(**values)
        if check:
            settings.check()
        return settings

    def check(self) -> None:
        if not self.retry_delays:
            raise ConfigurationError("RETRY_DELAYS needs at least one delay")
        unsupported = [a for a in self.jwt_algorithms if a not in SYMMETRIC_ALGORITHMS + ASYMMETRIC_ALGORITHMS]
        if unsupported or not self.jwt_algorithms:
            raise ConfigurationError(f"JWT_ALGORITHMS must name algorithms among "
                                     f"{', '.join(SYMMETRIC_ALGORITHMS + ASYMMETRIC_ALGORITHMS)}; not {unsupported}")
        if self.is_production:
            self._check_production_keys()
            if self.clock != "system":
                raise ConfigurationError("a controllable clock is for tests only; CAREBRIDGE_CLOCK must be 'system' in production")
            if self.uses_memory_bus:
                raise ConfigurationError("the in-memory bus loses messages on restart; set BROKER_URL in production")
            if "{service}" not in self.broker_user_template:
                raise ConfigurationError("BROKER_USER_TEMPLATE must name each service's own broker user "
                                         "({service}): with one user for all, anyone could publish anything")
            if self.audit_hmac_key == DEV_AUDIT_HMAC_KEY:
                raise ConfigurationError("refusing the development audit key in production: set AUDIT_HMAC_KEY")
            if self.audit_checkpoint_interval > 60:
                raise ConfigurationError("AUDIT_CHECKPOINT_INTERVAL_SECONDS must be at most 60 in production")
        if len(self.audit_hmac_key) < MIN_AUDIT_KEY_LENGTH:
            raise ConfigurationError(f"AUDIT_HMAC_KEY must be at least {MIN_AUDIT_KEY_LENGTH} characters")
        try:
            self.broker_user_template.format(service="x")
        except (KeyError, IndexError, ValueError):
            raise ConfigurationError("BROKER_USER_TEMPLATE may only use {service}") from None

    def _check_production_keys(self) -> None:
        """Only the identity provider signs: no pod holds a key that could
        mint an admin's token, unless symmetric tokens are enabled on purpose."""
        symmetric = [a for a in self.jwt_algorithms if a in SYMMETRIC_ALGORITHMS]
        if symmetric:
            if not self.jwt_allow_symmetric:
                raise ConfigurationError(f"{', '.join(symmetric)} tokens are refused in production: use RS256/ES256 "
                                         "with JWT_JWKS_URL or JWT_PUBLIC_KEY, or set JWT_ALLOW_SYMMETRIC=true")
            if self.jwt_secret == DEV_JWT_SECRET:
                raise ConfigurationError("refusing the development JWT secret in production")
            if len(self.jwt_secret.encode()) < self.jwt_min_secret_bytes or len(set(self.jwt_secret)) < 10:
                raise ConfigurationError(f"JWT_SECRET must be at least {self.jwt_min_secret_bytes} random bytes "
                                         "(e.g. `openssl rand -base64 48`)")
        if len(symmetric) < len(self.jwt_algorithms) and not (self.jwt_public_key or self.jwt_jwks_url):
            raise ConfigurationError("asymmetric tokens need the identity provider's JWT_JWKS_URL or JWT_PUBLIC_KEY")
        if self.jwt_private_key:
            raise ConfigurationError("JWT_PRIVATE_KEY is refused in production: only the identity provider signs tokens")
