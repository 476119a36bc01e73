"""Settings come from environment variables only.

Every value has a safe development default so that `carebridge dev` runs with
nothing configured. In production (`CAREBRIDGE_ENV=production`) the defaults
that would be unsafe there (the shared development JWT secret, the controllable
test clock) are refused at start-up instead of silently used.

A variable can be set for one service by prefixing it with the service name in
upper case (`PATIENTS_DATABASE_URL`); that wins over the plain name
(`DATABASE_URL`). Real mode gives each process its own environment and uses the
plain names; the embedded dev stack runs five services in one process and needs
the prefixed ones.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

DEV_JWT_SECRET = "carebridge-development-secret-not-for-production"

SERVICE_PORTS = {
    "patients": 8001,
    "careplans": 8002,
    "scheduling": 8003,
    "billing": 8004,
    "notifications": 8005,
}


class ConfigurationError(RuntimeError):
    """The environment asks for something that cannot work or is unsafe."""


def _float_list(raw: str) -> tuple[float, ...]:
    return tuple(float(part) for part in raw.split(",") if part.strip())


def _bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    service: str
    environment: str = "development"
    database_url: str = ""
    broker_url: str = "memory://"
    # Prefix for exchange and queue names, so that test runs sharing one
    # broker cannot see each other's messages. Empty in production.
    bus_namespace: str = ""
    data_dir: Path = Path("data")

    jwt_algorithms: tuple[str, ...] = ("HS256",)
    jwt_secret: str = DEV_JWT_SECRET
    jwt_public_key: str = ""
    jwt_private_key: str = ""
    jwt_jwks_url: str = ""
    jwt_issuer: str = "carebridge-dev"
    jwt_audience: str = "carebridge"
    jwt_leeway_seconds: int = 30
    # Token a service presents to other services when it cannot mint one
    # itself (production with asymmetric keys held by an identity provider).
    service_token: str = ""

    # Consumer behaviour: growing delays between attempts of a failing
    # message; after the last one it is dead-lettered.
    retry_delays: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0, 600.0)
    # Safety net on the queue itself for a message that kills its worker every
    # time (so the handler never gets to count the failure).
    delivery_limit: int = 20
    prefetch_count: int = 32
    # Consumers per worker process, each on its own broker channel and
    # database connection: while one waits for its database round trips and
    # commit, another applies its burst. Handlers already take events out of
    # order and concurrently (worker replicas, redeliveries), so this adds
    # no new case. The in-memory broker of the dev stack gets one.
    consumer_threads: int = 2

    relay_batch_size: int = 100
    relay_poll_interval: float = 0.05
    relay_retention_days: int = 7

    http_connect_timeout: float = 2.0
    http_read_timeout: float = 5.0
    http_retries: int = 3

    # Upper bound on every periodic job's interval (tests and demos make the
    # sweeps run every second instead of every few minutes). None: as coded.
    job_interval_cap: float | None = None
    clock: str = "system"
    log_level: str = "INFO"
    log_json: bool = True
    service_urls: Mapping[str, str] = field(default_factory=dict)
    # Service-specific settings the kit does not know: `SERVICE_NAME_X` or `X`.
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_memory_bus(self) -> bool:
        return self.broker_url.startswith("memory://")

    def url_of(self, service: str) -> str:
        try:
            return self.service_urls[service]
        except KeyError:
            raise ConfigurationError(
                f"no URL configured for the {service} service "
                f"(set {service.upper()}_URL)") from None

    def get(self, name: str, default: str | None = None) -> str | None:
        """A service-specific setting that the kit does not know about:
        `<SERVICE>_<NAME>` if set, else `<NAME>`, else `default`."""
        return self.extra.get(name, default)

    def with_overrides(self, **overrides) -> "Settings":
        return replace(self, **overrides)

    @classmethod
    def from_env(cls, service: str, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        prefix = service.upper() + "_"

        def read(name: str, default: str | None = None) -> str | None:
            return env.get(prefix + name, env.get(name, default))

        environment = read("CAREBRIDGE_ENV", "development")
        data_dir = Path(read("CAREBRIDGE_DATA_DIR", "data"))
        database_url = read("DATABASE_URL") or f"sqlite:///{data_dir / (service + '.db')}"
        service_urls = {
            name: env.get(name.upper() + "_URL", f"http://127.0.0.1:{port}")
            for name, port in SERVICE_PORTS.items()
        }
        # Plain names first, then the service-prefixed ones over them.
        extra = {k: v for k, v in env.items() if k.isupper()}
        extra.update({k[len(prefix):]: v for k, v in env.items() if k.startswith(prefix)})
        settings = cls(
            service=service,
            environment=environment,
            database_url=database_url,
            broker_url=read("BROKER_URL", "memory://"),
            bus_namespace=read("BUS_NAMESPACE", ""),
            data_dir=data_dir,
            jwt_algorithms=tuple(a.strip() for a in read("JWT_ALGORITHMS", "HS256").split(",")),
            jwt_secret=read("JWT_SECRET", DEV_JWT_SECRET),
            jwt_public_key=read("JWT_PUBLIC_KEY", ""),
            jwt_private_key=read("JWT_PRIVATE_KEY", ""),
            jwt_jwks_url=read("JWT_JWKS_URL", ""),
            jwt_issuer=read("JWT_ISSUER", "carebridge-dev"),
            jwt_audience=read("JWT_AUDIENCE", "carebridge"),
            jwt_leeway_seconds=int(read("JWT_LEEWAY_SECONDS", "30")),
            service_token=read("SERVICE_TOKEN", ""),
            retry_delays=_float_list(read("RETRY_DELAYS", "1,5,30,120,600")),
            delivery_limit=int(read("DELIVERY_LIMIT", "20")),
            prefetch_count=int(read("PREFETCH_COUNT", "32")),
            consumer_threads=int(read("CONSUMER_THREADS", "2")),
            relay_batch_size=int(read("RELAY_BATCH_SIZE", "100")),
            relay_poll_interval=float(read("RELAY_POLL_INTERVAL", "0.05")),
            relay_retention_days=int(read("RELAY_RETENTION_DAYS", "7")),
            http_connect_timeout=float(read("HTTP_CONNECT_TIMEOUT", "2")),
            http_read_timeout=float(read("HTTP_READ_TIMEOUT", "5")),
            http_retries=int(read("HTTP_RETRIES", "3")),
            job_interval_cap=float(read("JOB_INTERVAL_CAP_SECONDS")) if read("JOB_INTERVAL_CAP_SECONDS") else None,
            clock=read("CAREBRIDGE_CLOCK", "system"),
            log_level=read("LOG_LEVEL", "INFO"),
            log_json=_bool(read("LOG_JSON", "true")),
            service_urls=service_urls,
            extra=extra,
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.environment not in {"development", "test", "production"}:
            raise ConfigurationError(f"CAREBRIDGE_ENV must be development, test or production, not {self.environment!r}")
        if not self.retry_delays:
            raise ConfigurationError("RETRY_DELAYS needs at least one delay")
        if self.is_production:
            if "HS256" in self.jwt_algorithms and self.jwt_secret == DEV_JWT_SECRET:
                raise ConfigurationError("refusing the development JWT secret in production: set JWT_SECRET or use RS256 keys")
            if self.clock != "system":
                raise ConfigurationError("a controllable clock is for tests only; CAREBRIDGE_CLOCK must be 'system' in production")
            if self.uses_memory_bus:
                raise ConfigurationError("the in-memory bus loses messages on restart; set BROKER_URL in production")
