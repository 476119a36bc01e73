"""pytest fixtures every CareBridge test suite uses (registered as a pytest
plugin by the kit's package metadata).

A service names itself in its pyproject.toml, and gets `service`,
`runtime`, `app`, `client` and `clock` with no conftest.py of its own:

    [tool.pytest.ini_options]
    carebridge_service = "carebridge_scheduling.service:SERVICE"
    pythonpath = ["tests"]          # its helpers: tests/support.py (`import support`)
    usefixtures = ["clock"]         # every test at a known instant, if the suite wants that

- `runtime`: the service on a fresh, migrated database (SQLite, or
  PostgreSQL with `--db=postgresql` / CAREBRIDGE_TEST_DB=postgresql) and the
  in-memory bus. A suite that needs other settings overrides
  `runtime_settings` (a dict of `Settings` fields; service settings go in
  `extra`), in its conftest.py or one test module.
- `app`, `client`: the service's Flask app on that runtime, and its test client.
- `clock`: time stands still at 2026-03-02 14:00 UTC until the test moves it
  (`clock.advance(hours=2)`).
- `auth("nurse", sub=practitioner_id)`: headers with a signed token;
  `make_token` the token alone.
- `make_runtime(SERVICE, **settings)`, `make_app(SERVICE, runtime)`: a second
  runtime of a service (two workers), or another service's.
- `amqp_url`, `postgres_admin_url`, `postgres_databases`: real RabbitMQ and
  PostgreSQL for integration tests (see `infrastructure`).
"""
from __future__ import annotations

import importlib
import os
import secrets
from datetime import datetime, timezone

import pytest

from .. import clock as clock_module
from ..auth import issue_token
from ..config import Settings
from ..db import admin
from ..service import Runtime
from ..web import create_app
from . import infrastructure
from .databases import TestDatabases

TEST_RETRY_DELAYS = (0.05, 0.1, 0.2)


def pytest_addoption(parser):
    parser.addoption("--db", default=os.environ.get("CAREBRIDGE_TEST_DB", "sqlite"),
                     choices=["sqlite", "postgresql"], help="database backend for service tests")
    parser.addini("carebridge_service", "the ServiceDefinition this suite tests, as module:attribute")


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
    if not defaults["broker_url"].startswith("memory://") and "broker_user_template" not in overrides:
        # The kit's tests on a real broker log in as one user (the URL's):
        # every producer is that user, the producer check still runs.
        from ..bus.publisher import login_of
        defaults["broker_user_template"] = login_of(defaults["broker_url"])
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
        overrides.setdefault("audit_checkpoint_dir", tmp_path / "audit-checkpoints")
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
            app = _built_apps[service.name] = create_app(service, {"runtime": runtime, "TESTING": True})
        app.extensions["carebridge"] = runtime
        return app

    return make


@pytest.fixture(scope="session")
def service(pytestconfig):
    """The ServiceDefinition named by the `carebridge_service` ini option."""
    target = pytestconfig.getini("carebridge_service")
    if not target:
        raise pytest.UsageError("set carebridge_service = \"package.service:SERVICE\" in [tool.pytest.ini_options]")
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute or "SERVICE")


@pytest.fixture
def runtime_settings() -> dict:
    """Settings of this suite's `runtime` (Settings fields; the service's own
    settings as strings in `extra`). Override to change them."""
    return {}


@pytest.fixture
def runtime(make_runtime, service, runtime_settings):
    return make_runtime(service, **runtime_settings)


@pytest.fixture
def app(make_app, service, runtime):
    return make_app(service, runtime)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def clock():
    """Time stands still at a known instant until the test moves it."""
    with clock_module.frozen(datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)) as frozen:
        yield frozen


@pytest.fixture
def scratch_database_url(db_backend, tmp_path, request) -> str:
    """An empty database on the suite's backend (nothing migrated), removed
    afterwards: for tests of the migrations themselves."""
    if db_backend == "sqlite":
        return f"sqlite:///{tmp_path / 'scratch.db'}"
    admin_url = infrastructure.postgres_admin_url()
    name = f"{infrastructure.RUN_ID}_scratch_{secrets.token_hex(3)}"
    url = admin.create_database(admin_url, name)
    request.addfinalizer(lambda: admin.drop_database(admin_url, name))
    return url


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
