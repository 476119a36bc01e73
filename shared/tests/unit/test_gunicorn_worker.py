"""The API worker class (deploy/gunicorn.conf.py): a burst of keep-alive
connections is spread over the workers, and restarting workers lose no
connection. Real gunicorn processes on loopback."""
from __future__ import annotations

import collections
import json
import http.client
import socket
import subprocess
import sys
import threading
import time

import pytest

WORKER_CLASS = "carebridge.runtime.gunicorn_worker.BalancingThreadWorker"
WORKERS, THREADS = 2, 4

# Answers with the id of the worker process that holds the connection.
APP = '''
import os
import time


def app(environ, start_response):
    time.sleep(0.02)
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve(tmp_path):
    """Starts gunicorn with the API worker class; returns its port once every
    worker has booted."""
    (tmp_path / "pid_app.py").write_text(APP)
    started = []

    def start(*extra: str) -> int:
        port = free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        with log.open("w") as log_file:  # the child keeps its own copy of the handle
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--chdir", str(tmp_path), "-b", f"127.0.0.1:{port}",
                 "-w", str(WORKERS), "--threads", str(THREADS), "-k", WORKER_CLASS, "--keep-alive", "30",
                 "--log-level", "info", *extra, "pid_app:app"],
                stdout=subprocess.DEVNULL, stderr=log_file)
        started.append(process)
        deadline = time.monotonic() + 30
        while log.read_text().count("Booting worker") < WORKERS:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not boot its workers:\n" + log.read_text())
            time.sleep(0.05)
        time.sleep(0.3)  # the workers reach their accept loops
        return port

    yield start
    for process in started:
        process.terminate()
        process.wait(10)


def workers_holding(port: int, connections: int) -> list[int]:
    """Opens `connections` keep-alive connections at once, one request each;
    how many each worker holds, most first."""
    barrier = threading.Barrier(connections)
    answers, opened, lock = [], [], threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        barrier.wait()
        connection.request("GET", "/")
        pid = connection.getresponse().read()
        with lock:
            answers.append(pid)
            opened.append(connection)

    clients = [threading.Thread(target=client) for _ in range(connections)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(30)
    for connection in opened:
        connection.close()
    assert len(answers) == connections
    return sorted(collections.Counter(answers).values(), reverse=True)


def test_a_burst_of_keep_alive_connections_is_spread_over_the_workers(serve):
    # Stock gthread workers race for each connection and one often takes
    # most of them. Measured on this 2-core machine at load average 9, 20
    # bursts each: stock gthread's busier worker held a median of 22-24 of
    # the 32 (16 to 32), and only 3-4 of 20 bursts stayed within 19/13;
    # the balancing worker held a median of 16, with 18 or 19 of 20 bursts
    # within 17/15 and a rare outlier (27 once) when the machine starves its
    # idle sibling of CPU. So the test asks the median and three quarters of
    # the bursts, which a busy machine does not move and stock gthread
    # cannot reach (it fails with WORKER_CLASS = "gthread": median 24).
    port = serve()
    busiest = sorted(max(split) for split in (workers_holding(port, 32) for _ in range(20)))
    assert busiest[len(busiest) // 2] <= 17 and busiest[14] <= 19, busiest


def test_no_connection_is_lost_while_workers_restart(serve):
    # Each worker restarts after ~50 requests; connections keep arriving on
    # the shared socket meanwhile and every one is answered (a socket per
    # worker, as --reuse-port makes, resets the ones queued on a worker that
    # restarts).
    port = serve("--max-requests", "50", "--max-requests-jitter", "10")
    outcomes: collections.Counter = collections.Counter()
    lock = threading.Lock()

    def client():
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/", headers={"Connection": "close"})
                outcome = connection.getresponse().status
                connection.close()
            except OSError as error:
                outcome = type(error).__name__
            with lock:
                outcomes[outcome] += 1

    clients = [threading.Thread(target=client) for _ in range(8)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(120)
    assert outcomes == {200: 800}


def test_a_request_line_beyond_the_limit_is_answered_as_problem_json(serve):
    port = serve("--limit-request-line", "200")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/patients?q=" + "Jane" * 100)
    response = connection.getresponse()
    body = json.loads(response.read())
    assert response.status == 414 and response.getheader("Content-Type") == "application/problem+json"
    assert body["status"] == 414 and "Jane" not in json.dumps(body)
