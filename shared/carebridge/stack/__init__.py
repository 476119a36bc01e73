"""`carebridge.stack`: the stack in a staff app's own integration tests.

    pytest -p carebridge.stack                          # the real stack
    pytest -p carebridge.stack --carebridge-stack=embedded

gives the session fixture `carebridge_stack`: every installed service
started for the session, and a `StackSession` with a ready Python client per
role (`carebridge_stack.client("nurse", subject=practitioner_id)`,
`carebridge_stack.admin`), the file clock every process reads
(`carebridge_stack.advance(hours=2)`, `.now()`), and the services' URLs.
Afterwards its databases, queues, exchanges and broker users are removed.

- real (the default): each service's API under gunicorn and its own worker,
  each on a fresh PostgreSQL database, on RabbitMQ, as production runs them
  (`carebridge.stack.real`, which the whole-stack suite uses too). The
  servers come from AMQP_URL and DATABASE_URL, else testcontainers where
  Docker runs, else the tests are skipped (failed under CI=true): the kit's
  `amqp_url` and `postgres_admin_url` fixtures.
- embedded: every service in the test process (`carebridge dev`'s stack) on
  SQLite files and the in-memory bus, on free ports: nothing to install,
  seconds to start, but one process (no broker faults, no worker restarts).

Needs the Python client (`pip install ./clients/python`) and, for the real
stack, aiosmtpd (the SMTP server every email goes to: `.smtp.mailbox`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Settings that make a stack quick to test: short retry delays and sweeps
# that run every second (production's defaults are minutes).
QUICK_SETTINGS = {
    "RETRY_DELAYS": "0.2,0.5,1",
    "RELAY_POLL_INTERVAL": "0.02",
    "JOB_INTERVAL_CAP_SECONDS": "1",
}
STAFF_ROLES = ("coordinator", "nurse", "physician", "specialist", "billing", "admin", "privacy-officer")


@dataclass
class StackSession:
    """What the `carebridge_stack` fixture yields."""

    mode: str
    urls: dict[str, str]
    clock: object
    real: object = None          # the real stack (carebridge.stack.real.Stack), in real mode
    embedded: object = None      # the DevStack, in embedded mode
    _clients: dict = field(default_factory=dict)

    def client(self, role: str = "coordinator", subject=None):
        """The Python client (`carebridge_client.CareBridge`) as a user of `role`
        (a staff member's practitioner id as `subject`)."""
        from carebridge_client import CareBridge, StaticToken

        from .users import token
        key = (role, str(subject) if subject else None)
        if key not in self._clients:
            self._clients[key] = CareBridge(self.urls, StaticToken(token(role, key[1])), timeout=15)
        return self._clients[key]

    @property
    def admin(self):
        return self.client("admin")

    @property
    def clients(self) -> dict:
        """A client for each staff role (no subject: outside every care team)."""
        return {role: self.client(role) for role in STAFF_ROLES}

    def advance(self, **delta):
        """Move every process's clock forward (`hours=2`, `days=1`...)."""
        return self.clock.advance(**delta)

    def now(self):
        return self.clock.now()


def pytest_addoption(parser):
    group = parser.getgroup("carebridge-stack")
    group.addoption("--carebridge-stack", choices=("real", "embedded"),
                    default=os.environ.get("CAREBRIDGE_STACK", "real"),
                    help="the stack carebridge_stack starts: real (gunicorn, workers, PostgreSQL, RabbitMQ; "
                         "the default) or embedded (one process, SQLite, in-memory bus)")


def _real(request, work: Path):
    from carebridge.testing.infrastructure import RUN_ID

    from .real import start_stack, stop_stack
    amqp_url = request.getfixturevalue("amqp_url")
    postgres_admin_url = request.getfixturevalue("postgres_admin_url")
    running = start_stack(work, amqp_url, postgres_admin_url, RUN_ID, dict(QUICK_SETTINGS))
    urls = {name: running.url(name) for name in running.real.apis}
    return StackSession("real", urls, running.clock, real=running), lambda: stop_stack(running)


def _embedded(work: Path):
    from carebridge import clock as kit_clock
    from carebridge.clock import FileClock
    from carebridge.runtime.dev import DevStack
    from carebridge.runtime.discovery import installed_services

    from .mail import free_port
    file_clock = FileClock(work / "clock")
    file_clock.shift(0)
    previous = kit_clock.current()
    kit_clock.use(file_clock)
    ports = {name: free_port() for name in installed_services()}
    environ = {**os.environ, "CAREBRIDGE_ENV": "test", "EMAIL_BACKEND": "file", **QUICK_SETTINGS}
    stack = DevStack(data_dir=work / "data", ports=ports, environ=environ)
    try:
        stack.start()
    except BaseException:
        kit_clock.use(previous)
        raise

    def stop():
        try:
            stack.stop()
        finally:
            kit_clock.use(previous)

    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    return StackSession("embedded", urls, file_clock, embedded=stack), stop


@pytest.fixture(scope="session")
def carebridge_stack(request, tmp_path_factory):
    """The stack for this test session (see the module's documentation)."""
    work = tmp_path_factory.mktemp("carebridge-stack")
    mode = request.config.getoption("--carebridge-stack")
    session, stop = _real(request, work) if mode == "real" else _embedded(work)
    try:
        yield session
    finally:
        stop()
