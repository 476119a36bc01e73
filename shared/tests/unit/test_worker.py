"""The worker runs each periodic job on its own thread, survives a job that
raises, and honours the interval cap the tests and demos use."""
import threading

from carebridge.runtime.worker import Worker
from carebridge.service import PeriodicJob
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
