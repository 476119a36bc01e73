"""The real-mode stack as separate processes, without Docker.

    carebridge stack --database-url postgresql://postgres@127.0.0.1:5432/postgres \
                     --broker-url amqp://guest:guest@127.0.0.1:5672//

For each installed service: its own PostgreSQL database (`<prefix>_<service>`,
created if missing, owned by the role `<prefix>_<service>_owner`, which
migrates it), its API under gunicorn with `deploy/gunicorn.conf.py` and its
worker process (consumer, relay, jobs), both logged in as the runtime role
`<prefix>_<service>` (which may not change audit records), all on the given
RabbitMQ. This is how production runs, minus containers; the whole-stack
tests drive exactly this.

Broker users: given `broker_urls` (service -> {"api": url, "worker": url}),
each process logs in as its own user (the whole-stack tests make them);
otherwise every process logs in as the one user of `broker_url`, and the
consumers' producer check expects that user from everyone
(BROKER_USER_TEMPLATE): it still refuses events published without it.
"""
from __future__ import annotations

import logging
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ..bus.publisher import login_of
from ..config import SERVICE_PORTS
from ..db import admin, migrations
from .discovery import installed_services

log = logging.getLogger(__name__)


def find_gunicorn_config(explicit: str | None = None) -> Path:
    candidates = [explicit, os.environ.get("CAREBRIDGE_GUNICORN_CONFIG"), "deploy/gunicorn.conf.py"]
    here = Path(__file__).resolve()
    candidates += [str(parent / "deploy" / "gunicorn.conf.py") for parent in here.parents]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate).resolve()
    raise SystemExit("deploy/gunicorn.conf.py not found; run from the repository root or pass --gunicorn-config")


class RealStack:
    def __init__(self, *, admin_database_url: str, broker_url: str, prefix: str = "carebridge",
                 bus_namespace: str = "", services: list[str] | None = None, ports: dict | None = None,
                 gunicorn_config: str | None = None, api_workers: int = 2, log_dir: str | Path = "stack-logs",
                 extra_env: dict | None = None, service_env: dict | None = None, host: str = "127.0.0.1",
                 broker_urls: dict | None = None, broker_user_template: str | None = None):
        self.admin_database_url = admin_database_url
        self.broker_url = broker_url
        self.broker_urls = dict(broker_urls or {})
        self.broker_user_template = broker_user_template or login_of(broker_url)
        # One password per run for each service's two roles.
        self._role_passwords: dict[str, str] = {}
        self.prefix = prefix
        self.bus_namespace = bus_namespace
        self.services = {n: s for n, s in installed_services().items() if not services or n in services}
        self.ports = {**SERVICE_PORTS, **(ports or {})}
        self.gunicorn_config = find_gunicorn_config(gunicorn_config)
        self.api_workers = api_workers
        self.log_dir = Path(log_dir)
        self.extra_env = dict(extra_env or {})
        # Per-service overrides, e.g. a DATABASE_URL through a test proxy.
        self.service_env = {name: dict(env) for name, env in (service_env or {}).items()}
        self.host = host
        self.apis: dict[str, subprocess.Popen] = {}
        self.workers: dict[str, subprocess.Popen] = {}

    def database_name(self, service: str) -> str:
        return f"{self.prefix}_{service}"

    def runtime_role(self, service: str) -> str:
        return self.database_name(service)

    def owner_role(self, service: str) -> str:
        return f"{self.database_name(service)}_owner"

    def _password(self, service: str) -> str:
        return self._role_passwords.setdefault(service, secrets.token_hex(16))

    def database_url(self, service: str) -> str:
        """As the service's runtime role (what its processes use)."""
        return admin.database_url(self.admin_database_url, self.database_name(service), self.runtime_role(service),
                                  self._password(service))

    def owner_database_url(self, service: str) -> str:
        """As the database's owner (migrations)."""
        return admin.database_url(self.admin_database_url, self.database_name(service), self.owner_role(service),
                                  self._password(service))

    def broker_url_for(self, service: str, component: str) -> str:
        return self.broker_urls.get(service, {}).get(component, self.broker_url)

    def base_url(self, service: str) -> str:
        return f"http://{self.host}:{self.ports[service]}"

    def env_for(self, service: str, component: str = "worker") -> dict:
        """The environment of the service's `component` ("api" or "worker";
        operators' commands run with the worker's)."""
        env = dict(os.environ)
        env.update({
            "SERVICE_NAME": service,
            "DATABASE_URL": self.database_url(service),
            "BROKER_URL": self.broker_url_for(service, component),
            "BROKER_USER_TEMPLATE": self.broker_user_template,
            "BUS_NAMESPACE": self.bus_namespace,
            "PYTHONUNBUFFERED": "1",
            # As the images set it: glibc's default of 8 malloc arenas per
            # core lets each gunicorn thread keep freed memory in an arena of
            # its own; two bound what a threaded worker holds (bench/README.md).
            "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
        })
        for other in SERVICE_PORTS:
            env[f"{other.upper()}_URL"] = self.base_url(other)
        env.update(self.extra_env)
        env.update(self.service_env.get(service, {}))
        return env

    def prepare(self) -> None:
        for name, service in self.services.items():
            for role in (self.owner_role(name), self.runtime_role(name)):
                admin.create_role(self.admin_database_url, role, self._password(name))
            admin.create_database(self.admin_database_url, self.database_name(name), owner=self.owner_role(name))
            migrations.upgrade(service, self.owner_database_url(name), runtime_role=self.runtime_role(name))

    def _log(self, name: str):
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return open(self.log_dir / f"{name}.log", "ab")

    def start_api(self, service: str, workers: int | None = None) -> subprocess.Popen:
        env = self.env_for(service, "api")
        env["GUNICORN_WORKERS"] = str(workers or self.api_workers)
        env["GUNICORN_BIND"] = f"{self.host}:{self.ports[service]}"
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(self.gunicorn_config),
             f'carebridge.runtime.wsgi:application("{service}")'],
            env=env, stdout=self._log(f"{service}-api"), stderr=subprocess.STDOUT, start_new_session=True)
        self.apis[service] = process
        return process

    def start_worker(self, service: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "carebridge", "worker", service], env=self.env_for(service),
            stdout=self._log(f"{service}-worker"), stderr=subprocess.STDOUT, start_new_session=True)
        self.workers[service] = process
        return process

    def start(self, timeout: float = 60.0) -> None:
        self.prepare()
        for name in self.services:
            self.start_api(name)
            self.start_worker(name)
        self.wait_until_ready(timeout)

    def wait_until_ready(self, timeout: float = 60.0, services=None) -> None:
        deadline = time.monotonic() + timeout
        pending = set(services or self.services)
        while pending:
            for name in list(pending):
                process = self.apis[name]
                if process.poll() is not None:
                    raise RuntimeError(f"the {name} API exited with {process.returncode}; see {self.log_dir}/{name}-api.log")
                try:
                    with urllib.request.urlopen(self.base_url(name) + "/readyz", timeout=2) as response:
                        if response.status == 200:
                            pending.discard(name)
                except OSError:
                    pass
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout}s: {', '.join(sorted(pending))}")
            if pending:
                time.sleep(0.2)

    @staticmethod
    def _terminate(process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 15.0) -> None:
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def kill_worker(self, service: str) -> None:
        """SIGKILL, as a crashed node would: no chance to finish anything."""
        self._terminate(self.workers[service], signal.SIGKILL)

    def stop_api(self, service: str) -> None:
        self._terminate(self.apis[service])

    def stop(self) -> None:
        for process in list(self.apis.values()) + list(self.workers.values()):
            self._terminate(process)

    def drop_databases(self) -> None:
        for name in self.services:
            admin.drop_database(self.admin_database_url, self.database_name(name))
            for role in (self.runtime_role(name), self.owner_role(name)):
                admin.drop_role(self.admin_database_url, role)


def run(admin_database_url: str, broker_url: str, prefix: str, gunicorn_config: str | None, api_workers: int) -> None:
    stack = RealStack(admin_database_url=admin_database_url, broker_url=broker_url, prefix=prefix,
                      gunicorn_config=gunicorn_config, api_workers=api_workers)
    stack.start()
    print("CareBridge real-mode stack is up:")
    for name in stack.services:
        print(f"  {name:<14} {stack.base_url(name)}   database {stack.database_name(name)}   logs {stack.log_dir}/{name}-*.log")
    stopped = {"flag": False}

    def _stop(*_):
        stopped["flag"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        while not stopped["flag"]:
            time.sleep(0.5)
    finally:
        stack.stop()


__all__ = ["RealStack", "run", "find_gunicorn_config"]
