"""Where the tests find RabbitMQ and PostgreSQL.

1. URLs from the environment: AMQP_URL (or an amqp:// BROKER_URL) and
   TEST_DATABASE_URL (or a postgresql:// DATABASE_URL), pointing at a server
   on which the tests may create and drop databases.
2. Otherwise testcontainers starts them, where a Docker engine runs.
3. Otherwise the tests that need them are skipped with the reason, except
   under CI=true, where a missing broker or database fails the run.

Each run gets its own databases (`cbt_<run>_*`) and queue namespace
(`cbt_<run>...`) and removes them afterwards, so runs sharing one server
cannot see each other.
"""
from __future__ import annotations

import atexit
import os
import secrets

import pytest

RUN_ID = f"cbt_{os.getpid()}_{secrets.token_hex(3)}"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(what: str, why: str):
    message = f"{what} unavailable: {why}"
    if in_ci():
        pytest.fail(f"{message} (CI=true: the integration tests must run, not skip)", pytrace=False)
    pytest.skip(message)


def _docker_available() -> bool:
    try:
        import docker
        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


_containers: dict = {}


def _stop_containers() -> None:
    for container in _containers.values():
        try:
            container.stop()
        except Exception:
            pass


atexit.register(_stop_containers)


def broker_url() -> str:
    for name in ("AMQP_URL", "BROKER_URL"):
        value = os.environ.get(name, "")
        if value.startswith("amqp"):
            return value
    if "rabbitmq" in _containers:
        container = _containers["rabbitmq"]
    elif _docker_available():
        from testcontainers.rabbitmq import RabbitMqContainer
        container = RabbitMqContainer("rabbitmq:3.13-management")
        container.start()
        _containers["rabbitmq"] = container
    else:
        unavailable("RabbitMQ", "set AMQP_URL, or run where Docker is available for testcontainers")
    host, port = container.get_container_host_ip(), container.get_exposed_port(5672)
    return f"amqp://guest:guest@{host}:{port}//"


def postgres_admin_url() -> str:
    for name in ("TEST_DATABASE_URL", "DATABASE_URL"):
        value = os.environ.get(name, "")
        if value.startswith(("postgresql", "postgres:")):
            return value
    if "postgres" in _containers:
        container = _containers["postgres"]
    elif _docker_available():
        from testcontainers.postgres import PostgresContainer
        container = PostgresContainer("postgres:16", driver=None)
        container.start()
        _containers["postgres"] = container
    else:
        unavailable("PostgreSQL", "set TEST_DATABASE_URL, or run where Docker is available for testcontainers")
    return container.get_connection_url()
