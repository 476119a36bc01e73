"""The real stack for the whole-stack tests: every service under gunicorn
(deploy/gunicorn.conf.py) with its own worker process and its own fresh
PostgreSQL database, on RabbitMQ, the way production runs it.

Between the services and the servers sit proxies the tests can cut: one for
the broker (a broker outage for everybody) and one per service database (that
service's PostgreSQL going away), so faults never touch the real servers,
which other runs may share. Time is a file clock the tests move; email goes
to a real SMTP server started here.

Each worker serves its Prometheus metrics on a port of its own
(WORKER_HEALTH_PORT), which is how a test knows that a periodic job has
really run since it moved the clock (`wait_for_job_runs`), instead of
sleeping and hoping.

As in production, each service's API and worker log in to the broker as
users of their own (made for the run: support/broker.py) and to their
database as the service's runtime role (the owner role migrates it).
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from carebridge.bus import open_connection
from carebridge.bus.topology import Topology, delete_namespace
from carebridge.clock import FileClock
from carebridge.runtime.discovery import installed_services
from carebridge.runtime.stack import RealStack
from carebridge.service import Runtime
from carebridge.testing import wait_for
from carebridge.testing.proxy import CuttableProxy
from carebridge_client import CareBridge, StaticToken

import carebridge.stack.broker_users as broker_users
from .mail import SmtpServer, free_port
from .users import Client, token

SERVICES = list(installed_services())


def _host_port(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url.replace("postgresql+psycopg", "postgresql"))
    return parts.hostname or "127.0.0.1", parts.port or default_port


_SAMPLE = re.compile(r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?P<labels>[^}]*)\})?\s+(?P<value>\S+)$')
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text: str) -> list[tuple[str, dict, float]]:
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = _SAMPLE.match(line)
        if match:
            labels = dict(_LABEL.findall(match.group("labels") or ""))
            samples.append((match.group("name"), labels, float(match.group("value"))))
    return samples


@dataclass
class Stack:
    real: RealStack
    broker: CuttableProxy
    databases: dict[str, CuttableProxy]
    smtp: SmtpServer
    clock: FileClock
    amqp_url: str
    namespace: str
    worker_ports: dict[str, int]
    users: broker_users.RunBrokerUsers
    env: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)

    def url(self, service: str) -> str:
        return self.real.base_url(service)

    def client(self, service: str, role: str = "coordinator", subject=None) -> Client:
        return Client(self.url(service), role, subject, service=service)

    def carebridge(self, role: str = "coordinator", subject=None) -> CareBridge:
        """The Python client for every service, as one user."""
        return CareBridge({name: self.url(name) for name in SERVICES}, StaticToken(token(role, subject)), timeout=15)

    def database_url(self, service: str) -> str:
        """The direct URL of a service's database, as its runtime role (for
        assertions only)."""
        return self.real.database_url(service)

    def owner_database_url(self, service: str) -> str:
        """As the database's owner: for what only a migration (or someone
        with more rights than the service) may do."""
        return self.real.owner_database_url(service)

    def broker_url(self, service: str, component: str = "worker") -> str:
        """Straight to the broker (not through the proxy) as the service's
        `component`'s user."""
        return self.users.url(service, component, self.amqp_url)

    def runtime(self, service: str) -> Runtime:
        """An in-process handle on a service's database and queues (for
        assertions and for publishing test events as that service's
        worker), never used to serve."""
        if service not in self.clients:
            definition = installed_services()[service]
            settings = definition.settings_from_env({**self.env, "DATABASE_URL": self.database_url(service),
                                            "BROKER_URL": self.broker_url(service),
                                            "BROKER_USER_TEMPLATE": self.users.template,
                                            "BUS_NAMESPACE": self.namespace, "CAREBRIDGE_ENV": "test"})
            self.clients[service] = Runtime(definition, settings)
        return self.clients[service]

    def publisher(self, service: str):
        """Publishes as the service's worker would (its broker user)."""
        return self.runtime(service).publisher()

    # -- time ---------------------------------------------------------------

    def advance(self, **delta) -> None:
        self.clock.advance(**delta)

    def advance_to(self, moment) -> None:
        """Move the shared clock forward to `moment` (never backwards)."""
        seconds = (moment - self.clock.now()).total_seconds()
        assert seconds > 0, f"the clock is already past {moment.isoformat()}"
        self.clock.advance(seconds=seconds)

    def now(self):
        return self.clock.now()

    # -- workers ------------------------------------------------------------

    def worker_metrics(self, service: str) -> list[tuple[str, dict, float]]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.worker_ports[service]}/metrics", timeout=5) as response:
            return parse_metrics(response.read().decode())

    def worker_readiness(self, service: str) -> tuple[int, dict]:
        """The status and body of the worker's /readyz (the broker answers)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.worker_ports[service]}/readyz",
                                        timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def worker_counter(self, service: str, name: str, **labels) -> float:
        """The sum of a counter of the service's worker over the samples
        whose labels include `labels`."""
        return sum(value for sample, sample_labels, value in self.worker_metrics(service)
                   if sample == name and all(sample_labels.get(k) == v for k, v in labels.items()))

    def job_runs(self, service: str, job: str) -> float:
        return self.worker_counter(service, "carebridge_job_runs_total", job=job)

    def wait_for_job_runs(self, service: str, job: str, runs: int = 2, timeout: float = 30.0) -> None:
        """Return once `job` has finished `runs` more runs. With the default of
        two, at least one whole run started after this call (the first may
        have been under way already), so whatever it does at the clock's
        current time it has done."""
        seen = {"changes": 0, "last": self.job_runs(service, job)}

        def ran():
            current = self.job_runs(service, job)
            if current != seen["last"]:
                seen["changes"] += 1
                seen["last"] = current
            return seen["changes"] >= runs

        eventually(ran, timeout=timeout, interval=0.05, message=f"{runs} runs of {service}'s {job} job")

    def worker_alive(self, service: str) -> bool:
        return self.real.workers[service].poll() is None

    def stop_worker(self, service: str) -> None:
        """SIGTERM, as a deployment would: the worker finishes what it has."""
        RealStack._terminate(self.real.workers[service], signal.SIGTERM)

    def start_worker(self, service: str, **extra_env) -> None:
        """(Re)start the worker, with extra environment variables if given
        (a deployment with a different configuration), and wait until its
        metrics answer."""
        saved = dict(self.real.service_env.get(service, {}))
        self.real.service_env[service] = {**saved, **extra_env}
        try:
            self.real.start_worker(service)
        finally:
            self.real.service_env[service] = saved

        def answers():
            try:
                return self.worker_metrics(service) is not None
            except OSError:
                assert self.worker_alive(service), f"the {service} worker exited; see its log"
                return False

        eventually(answers, timeout=30, message=f"the {service} worker to start")

    # -- commands -----------------------------------------------------------

    def command(self, service: str, *args: str, timeout: float = 60, **env_overrides: str
                ) -> subprocess.CompletedProcess:
        """`carebridge ARGS` as an operator would run it for `service`, with
        that service's environment (database, the worker's broker user,
        namespace, retries, audit key and checkpoint folder), and any
        variables given."""
        env = self.real.env_for(service)
        env["DATABASE_URL"] = self.database_url(service)
        env["BROKER_URL"] = self.broker_url(service)
        env.update(env_overrides)
        env.pop("WORKER_HEALTH_PORT", None)
        return subprocess.run([sys.executable, "-m", "carebridge", *args], env=env, capture_output=True,
                              text=True, timeout=timeout)


def start_stack(work: Path, amqp_url: str, postgres_admin_url: str, run_id: str, env: dict,
                gunicorn_config: str | None = None) -> Stack:
    """Start the real stack (`gunicorn_config`: deploy/gunicorn.conf.py of
    the repository by default, as `carebridge stack` finds it)."""
    broker = CuttableProxy(*_host_port(amqp_url, 5672)).start()
    pg_host, pg_port = _host_port(postgres_admin_url, 5432)
    databases = {name: CuttableProxy(pg_host, pg_port).start() for name in SERVICES}
    smtp = SmtpServer().start()
    clock = FileClock(work / "clock")
    clock.shift(0)
    worker_ports = {name: free_port() for name in SERVICES}
    users = broker_users.create(amqp_url, run_id, installed_services(), env)
    real = RealStack(
        admin_database_url=postgres_admin_url, broker_url=broker.url(amqp_url), prefix=run_id,
        broker_urls={name: {component: broker.url(users.url(name, component, amqp_url))
                            for component in ("api", "worker")} for name in SERVICES},
        broker_user_template=users.template,
        bus_namespace=run_id, gunicorn_config=gunicorn_config, api_workers=2,
        # Free ports rather than 8001-8005, so that a dev stack, a benchmark or
        # another test run on this machine cannot collide with this one.
        ports={name: free_port() for name in SERVICES},
        log_dir=work / "logs",
        extra_env={"CAREBRIDGE_ENV": "test", "CAREBRIDGE_CLOCK": f"file:{work / 'clock'}",
                   "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "EMAIL_BACKEND": "smtp",
                   "CAREBRIDGE_DATA_DIR": str(work / "data"), "LOG_LEVEL": "INFO", **env},
        service_env={name: {"WORKER_HEALTH_PORT": str(worker_ports[name])} for name in SERVICES},
    )
    # Each service's processes reach its database through its proxy, as its
    # runtime role.
    for name in SERVICES:
        real.service_env[name]["DATABASE_URL"] = databases[name].url(real.database_url(name))
    # The links in messages to patients and family lead to this run's page.
    if "notifications" in real.service_env:
        real.service_env["notifications"]["MESSAGE_PAGE_URL"] = real.base_url("notifications") + "/messages"
    stack = Stack(real, broker, databases, smtp, clock, amqp_url, run_id, worker_ports, users, env=dict(env))
    try:
        real.start(timeout=120)
    except BaseException:
        stop_stack(stack)
        raise
    return stack


def _stop_processes(processes: list[subprocess.Popen], timeout: float = 20.0) -> None:
    """SIGTERM to every process group at once, then wait for all (SIGKILL
    for any still there at the deadline): one graceful shutdown's time in
    all, not one per process."""
    running = [p for p in processes if p.poll() is None]
    for process in running:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    for process in running:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(5)


def stop_stack(stack: Stack) -> None:
    try:
        _stop_processes(list(stack.real.apis.values()) + list(stack.real.workers.values()))
        topology = Topology(namespace=stack.namespace)
        with open_connection(stack.amqp_url) as connection:
            queues = [stack.runtime(name).queues for name in SERVICES if installed_services()[name].subscriptions]
            delete_namespace(connection.channel(), topology, queues)
    finally:
        for runtime in stack.clients.values():
            runtime.close()
        stack.clients.clear()
        stack.real.drop_databases()
        broker_users.remove(stack.users)
        stack.broker.close()
        for proxy in stack.databases.values():
            proxy.close()
        stack.smtp.stop()


def eventually(predicate, timeout: float = 30.0, interval: float = 0.1, message: str = ""):
    """Poll until `predicate()` is truthy (and return it); fail at the
    deadline. The kit's wait_for, with the longer default deadline a whole
    stack needs."""
    return wait_for(predicate, timeout=timeout, interval=interval, message=message)


__all__ = ["Stack", "start_stack", "stop_stack", "eventually", "timedelta", "SERVICES"]
