"""The worker runs each periodic job on its own thread, survives a job that
raises, and honours the interval cap the tests and demos use."""
import json
import socket
import threading
import urllib.error
import urllib.request

import pytest

from carebridge.runtime.worker import Worker
from carebridge.service import PeriodicJob, Runtime
from carebridge.testing import wait_for


def test_jobs_run_repeatedly_within_the_cap_and_survive_failures(service, make_runtime):
    runs = {"ok": 0, "failing": 0}
    lock = threading.Lock()

    def ok(_runtime):
        with lock:
            runs["ok"] += 1

    def failing(_runtime):
        with lock:
            runs["failing"] += 1
        raise RuntimeError("a sweep failed")

    runtime = make_runtime(service, job_interval_cap=0.02)
    original = service.jobs
    service.jobs = [PeriodicJob("hourly", every=3600, run=ok), PeriodicJob("broken", every=3600, run=failing)]
    try:
        worker = Worker(runtime, consume=False, relay=False).start()
        wait_for(lambda: runs["ok"] >= 3 and runs["failing"] >= 3, timeout=5,
                 message="both jobs to run three times despite their hourly interval")
        assert worker.alive()
        worker.stop()
    finally:
        service.jobs = original


def _get(port: int, path: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("broker_url, ready", [("memory://", 200), ("amqp://toys:toys@127.0.0.1:1//", 503)],
                         ids=["broker-up", "broker-down"])
def test_worker_readiness_follows_the_broker_and_liveness_does_not(service, make_runtime, broker_url, ready):
    """The worker is of no use without its broker (it consumes and relays),
    so its readiness checks the broker; liveness only asks whether its
    threads run, so that a broker outage does not restart every worker."""
    runtime = Runtime(service, make_runtime(service).settings.with_overrides(broker_url=broker_url))
    worker = Worker(runtime, consume=False, relay=False, jobs=False)
    port = _free_port()
    worker.serve_health(port)
    worker.start()
    try:
        assert _get(port, "/healthz") == (200, {"status": "ok"})
        status, body = _get(port, "/readyz")
        assert status == ready, body
        assert body["checks"] == {"broker": "ok" if ready == 200 else "unreachable"}
    finally:
        worker.stop()
        runtime.close()
