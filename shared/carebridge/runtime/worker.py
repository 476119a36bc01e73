"""The worker process of a service: its event consumers (CONSUMER_THREADS,
two by default), its outbox relay and its periodic jobs, each on its own
thread.

    carebridge worker scheduling

Real mode runs one (or more) per service beside the gunicorn API processes;
the dev stack runs the same threads inside its single process. SIGTERM stops
it gracefully: the current message finishes (or is redelivered later), the
relay stamps what the broker confirmed.
"""
from __future__ import annotations

import json
import logging
import signal
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

from prometheus_client import generate_latest

from ..bus import broker_reachable
from ..metrics import job_runs
from ..service import PeriodicJob, Runtime
from .kit_jobs import kit_jobs

log = logging.getLogger(__name__)


# The kit's own jobs, run by every service's worker beside the service's.


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _BrokerCheck:
    """Whether the broker answers, remembered for a few seconds: a probe must
    not open a broker connection on every call."""
    TTL = 5.0

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._ok = False

    def __call__(self) -> bool:
        with self._lock:
            if not self._ok or time.monotonic() - self._checked > self.TTL:
                self._ok = broker_reachable(self.url)
                self._checked = time.monotonic()
            return self._ok


class Worker:
    def __init__(self, runtime: Runtime, *, consume: bool = True, relay: bool = True, jobs: bool = True):
        runtime.check_broker_user()
        self.runtime = runtime
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.consumers = [runtime.consumer() for _ in range(self._consumer_count(runtime))] \
            if consume and runtime.service.subscriptions else []
        self.relay = runtime.relay() if relay else None
        self.jobs = [*runtime.service.jobs, *kit_jobs(runtime)] if jobs else []
        self._health_server = None

    def start(self) -> "Worker":
        name = self.runtime.service.name
        for number, consumer in enumerate(self.consumers, start=1):
            self._spawn(f"{name}-consumer-{number}", consumer.run, self.stop_event)
        if self.relay is not None:
            self._spawn(f"{name}-relay", self.relay.run, self.stop_event)
        for job in self.jobs:
            self._spawn(f"{name}-job-{job.name}", self._run_job, job)
        return self

    @staticmethod
    def _consumer_count(runtime: Runtime) -> int:
        if runtime.settings.broker_url.startswith("memory://"):
            return 1  # the dev stack: one process, no throughput to win
        return max(1, runtime.settings.consumer_threads)

    def _spawn(self, name, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _run_job(self, job: PeriodicJob) -> None:
        service = self.runtime.service.name
        cap = self.runtime.settings.job_interval_cap
        every = min(job.every, cap) if cap else job.every
        while not self.stop_event.is_set():
            try:
                job.run(self.runtime)
                job_runs.labels(service, job.name, "ok").inc()
            except Exception:
                job_runs.labels(service, job.name, "failed").inc()
                log.exception("periodic job failed; it runs again at its next turn", extra={"job": job.name})
            self.stop_event.wait(every)

    def alive(self) -> bool:
        return all(thread.is_alive() for thread in self.threads)

    def serve_health(self, port: int) -> None:
        """The worker's probes and metrics: `/healthz` (liveness: every thread
        runs; nothing outside the process is asked, so a broker outage does
        not restart workers that would reconnect by themselves), `/readyz`
        (readiness: the broker answers, without which the worker neither
        consumes nor relays) and `/metrics`."""
        broker_ok = _BrokerCheck(self.runtime.settings.broker_url)

        def answer(start_response, ok: bool, body: dict):
            start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "application/json")])
            return [json.dumps(body).encode()]

        def app(environ, start_response):
            path = environ.get("PATH_INFO", "")
            if path == "/metrics":
                start_response("200 OK", [("Content-Type", "text/plain; version=0.0.4")])
                return [generate_latest()]
            if path == "/healthz":
                ok = self.alive()
                return answer(start_response, ok, {"status": "ok" if ok else "a worker thread died"})
            if path == "/readyz":
                ok = broker_ok()
                return answer(start_response, ok, {"status": "ready" if ok else "not ready",
                                                   "checks": {"broker": "ok" if ok else "unreachable"}})
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"status": "not found"}']

        self._health_server = make_server("0.0.0.0", port, app, handler_class=_QuietHandler)
        self._spawn(f"{self.runtime.service.name}-health", self._health_server.serve_forever)

    def stop(self, timeout: float = 10.0) -> None:
        self.stop_event.set()
        if self._health_server is not None:
            self._health_server.shutdown()
        for thread in self.threads:
            thread.join(timeout)

    def run_until_signalled(self) -> None:
        def _stop(signum, _frame):
            log.info("stopping the worker", extra={"reason": signal.Signals(signum).name})
            self.stop_event.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        self.start()
        log.info("worker started", extra={"count": len(self.threads)})
        while not self.stop_event.wait(1.0):
            if not self.alive():
                log.error("a worker thread died; exiting so that the supervisor restarts the worker")
                break
        self.stop()
