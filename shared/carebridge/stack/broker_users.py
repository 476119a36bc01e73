"""Broker users for one whole-stack run, as production has them
(carebridge.bus.definitions): for each installed service a worker user that
may publish only its own routing keys and read only its own queues, and an
API user that may only connect; each named after the run
(`<run>.<service>`, `<run>.<service>-api`) with a random password, removed
afterwards. The run's exchange, queues and bindings are loaded with them, as
an administrator, since a service's user may not create its queues.

RabbitMQ's management plugin may not be there, so they are loaded with
`rabbitmqctl import_definitions` (which needs the broker on this machine and
the right to run it). Where that cannot be done, every process logs in as
the one user of AMQP_URL and the consumers' producer check expects that
user from everyone: it still refuses events published without it, but the
broker no longer tells the services apart. That is said (a warning), and
under CI=true it is an error instead.
"""
from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from carebridge.bus import open_connection
from carebridge.bus.connection import BROKER_ERRORS
from carebridge.bus.definitions import render, service_users
from carebridge.bus.publisher import login_of
from carebridge.testing import wait_for
from carebridge.testing.infrastructure import in_ci

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
RABBITMQCTL_TIMEOUT = 120


@dataclass
class RunBrokerUsers:
    template: str
    # service -> {"api": url, "worker": url}, straight to the broker.
    urls: dict = field(default_factory=dict)
    per_service: bool = False
    created: list[str] = field(default_factory=list)

    def url(self, service: str, component: str, default: str) -> str:
        return self.urls.get(service, {}).get(component, default)


def _with_user(amqp_url: str, user: str, password: str) -> str:
    parts = urlsplit(amqp_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"))


def why_not_per_service(amqp_url: str) -> str | None:
    if shutil.which("rabbitmqctl") is None:
        return "rabbitmqctl is not installed"
    if urlsplit(amqp_url).hostname not in LOCAL_HOSTS:
        return f"the broker ({urlsplit(amqp_url).hostname}) is not on this machine, where rabbitmqctl works"
    return None


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "--quiet", *args], check=True, capture_output=True, text=True,
                   timeout=RABBITMQCTL_TIMEOUT)


def _logs_in(url: str) -> bool:
    try:
        with open_connection(url) as connection:
            connection.connect()
            return True
    except BROKER_ERRORS:
        return False


def create(amqp_url: str, namespace: str, services: dict, environ: dict) -> RunBrokerUsers:
    """Users for `services`, and their queues as the run's settings
    (`environ`) make them."""
    reason = why_not_per_service(amqp_url)
    if reason is None:
        try:
            return _create(amqp_url, namespace, services, environ)
        except (subprocess.SubprocessError, OSError, AssertionError) as error:
            reason = f"rabbitmqctl failed ({type(error).__name__}: {getattr(error, 'stderr', '') or error})"
    message = (f"no broker user per service in this run: {reason}. Every process logs in as "
               f"{login_of(amqp_url)!r}; the consumers still refuse events not published by that user, "
               "but the broker cannot tell the services apart")
    if in_ci():
        raise RuntimeError(message + " (CI=true: the whole stack must run with a broker user per service)")
    warnings.warn(message, stacklevel=2)
    return RunBrokerUsers(template=login_of(amqp_url))


def _create(amqp_url: str, namespace: str, services: dict, environ: dict) -> RunBrokerUsers:
    template = f"{namespace}.{{service}}"
    passwords = {user: secrets.token_urlsafe(24) for name in services for user in service_users(template, name)}
    users = RunBrokerUsers(template=template, per_service=True)
    for name in services:
        worker, api = service_users(template, name)
        users.urls[name] = {"worker": _with_user(amqp_url, worker, passwords[worker]),
                            "api": _with_user(amqp_url, api, passwords[api])}
    definitions = render(services, namespace=namespace, template=template, passwords=passwords, operators=False,
                         environ=environ)
    users.created = sorted(passwords)
    pending = [url for service in users.urls.values() for url in service.values()]

    def all_log_in() -> bool:
        pending[:] = [url for url in pending if not _logs_in(url)]
        return not pending

    # rabbitmqctl runs as the rabbitmq user (Debian's wrapper), which must
    # be able to read the file: a folder of its own, removed afterwards.
    with tempfile.TemporaryDirectory(prefix=f"{namespace}-broker-") as folder:
        path = Path(folder) / "definitions.json"
        path.write_text(json.dumps(definitions))
        Path(folder).chmod(0o755)
        path.chmod(0o644)
        _rabbitmqctl("import_definitions", str(path))
        # The import finishes in the background: until every user logs in.
        wait_for(all_log_in, timeout=RABBITMQCTL_TIMEOUT, interval=0.2, message="the run's broker users to log in")
    return users


def remove(users: RunBrokerUsers) -> None:
    """Delete the run's users, all at once (each rabbitmqctl call takes a
    second to start)."""
    running = [subprocess.Popen(["rabbitmqctl", "--quiet", "delete_user", user], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for user in users.created]
    for process in running:
        try:
            process.wait(RABBITMQCTL_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
    users.created = []
