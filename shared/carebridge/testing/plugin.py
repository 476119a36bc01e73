"""pytest fixtures every CareBridge test suite can use (registered as a
pytest plugin by the kit's package metadata).

A service's conftest.py needs only:

    @pytest.fixture
    def runtime(make_runtime):
        return make_runtime(SERVICE)

    @pytest.fixture
    def app(make_app, runtime):
        return make_app(SERVICE, runtime)

    @pytest.fixture
    def client(app):
        return app.test_client()

Run a suite on PostgreSQL with `pytest --db=postgresql` (or
CAREBRIDGE_TEST_DB=postgresql).
"""
from __future__ import annotations

import os
import secrets
import uuid
from datetime import datetime, timezone

import pytest

from .. import clock as clock_module
from ..auth import issue_token
from ..config import Settings
from ..service import Runtime
from . import infrastructure
from .databases import TestDatabases
from .helpers import wait_for

TEST_RETRY_DELAYS = (0.05, 0.1, 0.2)


def pytest_addoption(parser):
    parser.addoption("--db", default=os.environ.get("CAREBRIDGE_TEST_DB", "sqlite"),
                     choices=["sqlite", "postgresql"], help="database backend for service tests")


def pytest_configure(config):
    config.addinivalue_line("markers", "integration: needs real RabbitMQ and/or PostgreSQL")


@pytest.fixture(scope="session")
def db_backend(request) -> str:
    return request.config.getoption("--db")


@pytest.fixture(scope="session")
def amqp_url() -> str:
    return infrastructure.broker_url()


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    return infrastructure.postgres_admin_url()


@pytest.fixture(scope="session")
def test_databases(db_backend, tmp_path_factory):
    databases = TestDatabases(db_backend, tmp_path_factory.mktemp("db-templates"),
                              infrastructure.postgres_admin_url)
    yield databases
    databases.drop_all()


def test_settings(service_name: str, **overrides) -> Settings:
    settings = Settings.from_env(service_name, environ={"CAREBRIDGE_ENV": "test"})
    defaults = dict(broker_url="memory://", bus_namespace=f"t{secrets.token_hex(4)}",
                    retry_delays=TEST_RETRY_DELAYS, relay_poll_interval=0.01)
    defaults.update(overrides)
    return settings.with_overrides(**defaults)


@pytest.fixture(scope="session")
def _postgres_databases(tmp_path_factory):
    databases = TestDatabases("postgresql", tmp_path_factory.mktemp("pg"), infrastructure.postgres_admin_url,
                              label="p")
    yield databases
    databases.drop_all()


@pytest.fixture
def postgres_databases(_postgres_databases):
    """Fresh migrated PostgreSQL databases whatever --db says (for tests that
    are about PostgreSQL behaviour: SKIP LOCKED, concurrent inserts)."""
    _postgres_databases.begin_test()
    return _postgres_databases


@pytest.fixture
def make_runtime(test_databases, tmp_path):
    """make_runtime(SERVICE, **settings_overrides) -> a Runtime on a fresh,
    migrated database and the in-memory bus (unless overridden)."""
    made = []
    test_databases.begin_test()

    def make(service, **overrides):
        if "database_url" not in overrides:
            overrides["database_url"] = test_databases.fresh(service, tmp_path)
        runtime = Runtime(service, test_settings(service.name, **overrides))
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        if not runtime.settings.uses_memory_bus:
            _delete_test_topology(runtime)
        runtime.close()


def _delete_test_topology(runtime) -> None:
    from ..bus.connection import open_connection
    from ..bus.topology import delete_namespace
    with open_connection(runtime.settings.broker_url) as connection:
        delete_namespace(connection.channel(), runtime.topology, [runtime.queues])


@pytest.fixture(scope="session")
def _built_apps():
    return {}


@pytest.fixture
def make_app(_built_apps):
    """make_app(SERVICE, runtime) -> the service's Flask app on `runtime`.

    Building an app documents every endpoint (a fifth of a second for a big
    service), so one app per service is built per run and each test points it
    at its own runtime; nothing else in the app depends on the runtime."""
    def make(service, runtime):
        app = _built_apps.get(service.name)
        if app is None:
            app = _built_apps[service.name] = service.create_app({"runtime": runtime, "TESTING": True})
        app.extensions["carebridge"] = runtime
        return app

    return make


@pytest.fixture
def make_token():
    """make_token("nurse", sub=practitioner_id) -> a signed bearer token."""
    settings = Settings.from_env("tests", environ={})

    def make(role: str = "coordinator", sub=None, **kwargs) -> str:
        return issue_token(settings, [role] if isinstance(role, str) else role,
                           subject=str(sub) if sub is not None else None, **kwargs)

    return make


@pytest.fixture
def auth(make_token):
    """auth("nurse", sub=...) -> headers with a bearer token."""
    def headers(role: str = "coordinator", sub=None, **kwargs) -> dict:
        return {"Authorization": f"Bearer {make_token(role, sub, **kwargs)}"}
    return headers


@pytest.fixture
def frozen_clock():
    """Time stands still at a known instant until the test moves it."""
    with clock_module.frozen(datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)) as clock:
        yield clock


@pytest.fixture
def new_id():
    return uuid.uuid4


@pytest.fixture
def wait():
    return wait_for
