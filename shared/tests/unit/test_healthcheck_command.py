"""`carebridge healthcheck` is the HEALTHCHECK of every image, whose one
image runs as the API (gunicorn on GUNICORN_BIND's port) or as the worker
(health on WORKER_HEALTH_PORT, 9000 by default): healthy when the process's
/healthz answers 200 on either, and it asks nothing else."""
import socket

import pytest

from carebridge import cli
from carebridge.runtime.worker import Worker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def serving_worker(service, make_runtime):
    port = free_port()
    worker = Worker(make_runtime(service), consume=False, relay=False, jobs=False)
    worker.serve_health(port)
    worker.start()
    yield port
    worker.stop()


def test_healthy_when_the_worker_answers_on_its_health_port(serving_worker, monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", f"127.0.0.1:{free_port()}")  # no API in this container
    monkeypatch.setenv("WORKER_HEALTH_PORT", str(serving_worker))
    assert cli.main(["healthcheck"]) == 0


def test_healthy_when_the_api_answers_on_its_bind_port(serving_worker, monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", f"0.0.0.0:{serving_worker}")
    monkeypatch.setenv("WORKER_HEALTH_PORT", str(free_port()))
    assert cli.main(["healthcheck"]) == 0


def test_unhealthy_when_nothing_answers(monkeypatch, capsys):
    monkeypatch.setenv("GUNICORN_BIND", f"0.0.0.0:{free_port()}")
    monkeypatch.setenv("WORKER_HEALTH_PORT", str(free_port()))
    assert cli.main(["healthcheck"]) == 1
    assert "no /healthz answered" in capsys.readouterr().err
