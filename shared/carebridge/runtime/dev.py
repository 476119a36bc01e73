"""`carebridge dev`: the embedded stack.

Every installed service in this one process, each on its own port, with SQLite
files under the data folder and kombu's in-memory transport; consumers,
relays and periodic jobs run as threads. Nothing but Python is needed. It is
for trying CareBridge out and for fast tests: the in-memory bus does not
survive a restart.
"""
from __future__ import annotations

import logging
import os
import threading
import uuid
from pathlib import Path

from werkzeug.serving import make_server

from .. import clock, logs
from ..config import SERVICE_PORTS, Settings
from ..db import migrations
from ..service import Runtime
from ..web import create_app
from .discovery import installed_services
from .worker import Worker

log = logging.getLogger(__name__)


class DevStack:
    def __init__(self, *, data_dir: Path, host: str = "127.0.0.1", ports: dict | None = None,
                 only: list[str] | None = None, environ=None):
        self.data_dir = Path(data_dir)
        self.host = host
        self.ports = {**SERVICE_PORTS, **(ports or {})}
        env = dict(os.environ if environ is None else environ)
        self.services = {name: svc for name, svc in installed_services().items() if not only or name in only}
        self.environ = env
        # kombu's in-memory transport is one per process: two stacks in one
        # process (a test session's own and a plugin's) would share queues
        # and take each other's events, unless their names differ.
        self.bus_namespace = env.get("BUS_NAMESPACE") or f"dev-{uuid.uuid4().hex[:8]}"
        self.servers = []
        self.workers = []
        self.runtimes = {}

    def settings_for(self, name: str) -> Settings:
        env = dict(self.environ)
        # One process, five databases: only a service-specific URL applies
        # here; a plain DATABASE_URL/BROKER_URL meant for real mode does not.
        env.pop("DATABASE_URL", None)
        env.pop("BROKER_URL", None)
        env.setdefault("CAREBRIDGE_DATA_DIR", str(self.data_dir))
        env["BUS_NAMESPACE"] = self.bus_namespace
        for other, port in self.ports.items():
            env.setdefault(f"{other.upper()}_URL", f"http://{self.host}:{port}")
        settings = Settings.from_env(name, env)
        if not env.get(f"{name.upper()}_DATABASE_URL"):
            settings = settings.with_overrides(database_url=f"sqlite:///{self.data_dir / (name + '.db')}")
        return settings

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for name, service in self.services.items():
            settings = self.settings_for(name)
            migrations.upgrade(service, settings.database_url)
            runtime = Runtime(service, settings)
            self.runtimes[name] = runtime
            app = create_app(service, {"runtime": runtime})
            server = make_server(self.host, self.ports[name], app, threaded=True)
            thread = threading.Thread(target=server.serve_forever, name=f"{name}-http", daemon=True)
            thread.start()
            self.servers.append(server)
            self.workers.append(Worker(runtime).start())

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
        for worker in self.workers:
            worker.stop(timeout=5)
        for runtime in self.runtimes.values():
            runtime.close()

    def banner(self) -> str:
        lines = ["", "CareBridge dev stack is up (SQLite in %s, in-memory bus):" % self.data_dir.resolve(), ""]
        for name in self.services:
            base = f"http://{self.host}:{self.ports[name]}"
            lines.append(f"  {name:<14} {base}    docs {base}/docs    OpenAPI {base}/openapi.json")
        lines += ["",
                  "Every API call needs a token; print one with",
                  "  .venv/bin/carebridge token --role coordinator",
                  "and send it as 'Authorization: Bearer <token>'. Roles: coordinator, nurse, physician,",
                  "specialist, billing, admin, service.", "",
                  "Demo data (15 staff, 30 patients with plans, visits, coverage and claims), in a second",
                  "terminal:",
                  "  .venv/bin/carebridge seed",
                  "and the Python client's walkthrough: clients/python/README.md. Ctrl-C stops the stack.", ""]
        return "\n".join(lines)


def run(data_dir: str = "data", host: str = "127.0.0.1", only: list[str] | None = None) -> None:
    settings = Settings.from_env("dev")
    logs.configure("dev", settings.log_level, settings.log_json)
    clock.configure(settings.clock)
    stack = DevStack(data_dir=Path(data_dir), host=host, only=only)
    if not stack.services:
        raise SystemExit("no CareBridge service is installed; run `make run` from the repository root")
    stack.start()
    print(stack.banner(), flush=True)
    stopped = threading.Event()
    try:
        import signal
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        while not stopped.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
