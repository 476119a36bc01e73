"""Running CareBridge services for a benchmark: the real-mode stack (each API
under gunicorn with deploy/gunicorn.conf.py, each worker as its own process,
each service on its own PostgreSQL database) on the given RabbitMQ, with
everything named after this run so that nothing is shared with other runs:

    with BenchStack("api_read", ["patients"]) as stack:
        url = stack.url("patients")
        ...

On the way out (also after an error, Ctrl-C or SIGTERM) every process it
started is stopped, its queues and exchange are deleted and its databases
dropped.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import requests

from carebridge.auth import issue_token
from carebridge.bus import open_connection
from carebridge.bus.topology import Topology, delete_namespace
from carebridge.config import Settings
from carebridge.runtime.discovery import installed_services
from carebridge.runtime.stack import RealStack
from carebridge.service import Runtime

from common import AMQP_URL, DATABASE_URL, ROOT

GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
# A secret of this run (not the development default), shared by the APIs and
# the benchmark that signs the tokens.
JWT_SECRET = "bench-" + uuid.uuid4().hex
# Tokens signed once must outlast the longest benchmark (production: 1 hour).
TOKEN_LIFETIME = str(4 * 3600)
TOKEN_SETTINGS = Settings.from_env("bench", {"JWT_SECRET": JWT_SECRET})


def _on_sigterm(signum, _frame):
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _on_sigterm)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def token(role: str, subject=None) -> str:
    return issue_token(TOKEN_SETTINGS, [role], subject=str(subject) if subject else None, ttl_seconds=int(TOKEN_LIFETIME))


def run_id(name: str) -> str:
    return f"cbb_{os.getpid()}_{name}"


class Api:
    """Calls one service as one user (setting data up; the load itself comes
    from wrk or from client processes)."""

    def __init__(self, base_url: str, role: str = "coordinator", subject=None):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token(role, subject)}"

    def call(self, method: str, path: str, expect=(200, 201), **kwargs) -> dict:
        kwargs.setdefault("timeout", 30)
        response = self.session.request(method, self.base_url + path, **kwargs)
        if response.status_code not in expect:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else {}

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.call("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.call("PUT", path, **kwargs)


class BenchStack:
    def __init__(self, name: str, services: list[str], *, api_workers: int = 2, workers: bool | list[str] = True,
                 env: dict | None = None, service_env: dict | None = None):
        self.name = name
        self.id = run_id(name)
        self.log_dir = Path(tempfile.mkdtemp(prefix=f"{self.id}-logs-"))
        self.wanted_workers = list(services) if workers is True else list(workers or [])
        self.real = RealStack(
            admin_database_url=DATABASE_URL, broker_url=AMQP_URL, prefix=self.id, bus_namespace=self.id,
            services=services, ports={service: free_port() for service in services},
            gunicorn_config=str(GUNICORN_CONFIG), api_workers=api_workers, log_dir=self.log_dir,
            extra_env={"JWT_SECRET": JWT_SECRET, "JWT_MAX_LIFETIME_SECONDS": TOKEN_LIFETIME,
                       "CAREBRIDGE_DATA_DIR": str(self.log_dir / "data"),
                       "LOG_LEVEL": "INFO", **(env or {})},
            service_env={service: {"PROMETHEUS_MULTIPROC_DIR": str(self.log_dir / f"metrics-{service}"),
                                   **(service_env or {}).get(service, {})} for service in services})
        self.runtimes: dict[str, Runtime] = {}

    # -- life cycle -------------------------------------------------------

    def __enter__(self) -> "BenchStack":
        try:
            self.real.prepare()
            for service in self.real.services:
                self.real.start_api(service)
            for service in self.wanted_workers:
                self.real.start_worker(service)
            self.real.wait_until_ready(120)
            for service in self.wanted_workers:
                self.wait_for_consumer(service)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def wait_for_consumer(self, service: str, timeout: float = 60) -> None:
        """Until the worker has declared its queue and consumes from it (so
        that no event published from now on can miss it)."""
        if not installed_services()[service].subscriptions:
            return
        queue = self.runtime(service).queues.main_name
        deadline = time.monotonic() + timeout
        with open_connection(AMQP_URL) as connection:
            while True:
                try:
                    _name, _messages, consumers = connection.default_channel.queue_declare(queue, passive=True)
                    if consumers:
                        return
                except Exception:
                    connection.close()
                    connection.connect()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the {service} worker is not consuming; see {self.log_dir}")
                time.sleep(0.2)

    def restart_api(self, service: str, workers: int) -> None:
        self.real.stop_api(service)
        self.real.start_api(service, workers=workers)
        self.real.wait_until_ready(120, services=[service])

    def close(self) -> None:
        try:
            self.real.stop()
        finally:
            try:
                queues = [self.runtime(name).queues for name in self.real.services
                          if self.real.services[name].subscriptions]
                with open_connection(AMQP_URL) as connection:
                    delete_namespace(connection.channel(), Topology(namespace=self.id), queues)
            except Exception as error:  # a broker that went away: nothing left to delete there
                print(f"warning: could not delete the bus namespace {self.id}: {error}", file=sys.stderr)
            for runtime in self.runtimes.values():
                runtime.close()
            self.runtimes.clear()
            self.real.drop_databases()
            shutil.rmtree(self.log_dir, ignore_errors=True)

    # -- handles ------------------------------------------------------------

    def url(self, service: str) -> str:
        return self.real.base_url(service)

    def api(self, service: str, role: str = "coordinator", subject=None) -> Api:
        return Api(self.url(service), role, subject)

    def database_url(self, service: str) -> str:
        return self.real.database_url(service)

    def runtime(self, service: str) -> Runtime:
        """An in-process handle on a service's database and queues (seeding
        and checking), never used to serve."""
        if service not in self.runtimes:
            definition = installed_services()[service]
            settings = definition.settings_from_env({"DATABASE_URL": self.database_url(service), "BROKER_URL": AMQP_URL,
                                            "BUS_NAMESPACE": self.id, "JWT_SECRET": JWT_SECRET})
            self.runtimes[service] = Runtime(definition, settings)
        return self.runtimes[service]

    def api_pid(self, service: str) -> int:
        return self.real.apis[service].pid

    def worker_pid(self, service: str) -> int:
        return self.real.workers[service].pid


def start_process(command: list[str], env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL
    return subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer in {timeout}s")
            time.sleep(0.2)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]

