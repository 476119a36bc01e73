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

import logging
import signal
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

from prometheus_client import generate_latest

from ..metrics import job_runs
from ..service import PeriodicJob, Runtime

log = logging.getLogger(__name__)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Worker:
    def __init__(self, runtime: Runtime, *, consume: bool = True, relay: bool = True, jobs: bool = True):
        runtime.check_broker_user()
        self.runtime = runtime
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.consumers = [runtime.consumer() for _ in range(self._consumer_count(runtime))] \
            if consume and runtime.service.subscriptions else []
        self.relay = runtime.relay() if relay else None
        self.jobs = [*runtime.service.jobs, *runtime.kit_jobs()] if jobs else []
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
        """/healthz and /metrics for the worker's probes."""
        def app(environ, start_response):
            path = environ.get("PATH_INFO", "")
            if path == "/metrics":
                start_response("200 OK", [("Content-Type", "text/plain; version=0.0.4")])
                return [generate_latest()]
            if path == "/healthz":
                ok = self.alive()
                start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "application/json")])
                return [b'{"status": "ok"}' if ok else b'{"status": "a worker thread died"}']
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
