"""A gunicorn worker forked from a master that built the app (preload_app,
deploy/gunicorn.conf.py) must not use the database connections it
inherited: its post_fork hook calls forget_inherited_connections."""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from carebridge.db.engine import Database, forget_inherited_connections
from carebridge.testing.helpers import wait_for

GUNICORN_CONF = Path(__file__).resolve().parents[3] / "deploy" / "gunicorn.conf.py"

# Built once in the master (preload): a pooled connection opened at import;
# each request says which process answered and whether its connection is
# the master's object (kept alive here, so its id cannot be reused).
APP = """
import json
import os
from carebridge.db.engine import Database

db = Database(os.environ["TOY_DATABASE_URL"], service="toy")
MASTER = os.getpid()
with db.engine.connect() as connection:
    INHERITED = connection.connection.dbapi_connection


def app(environ, start_response):
    with db.engine.connect() as connection:
        same = connection.connection.dbapi_connection is INHERITED
    body = json.dumps({"pid": os.getpid(), "master": MASTER, "inherited_connection": same}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
"""


def test_a_forked_process_drops_the_pooled_connections_it_inherited_and_opens_its_own(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'toy.db'}", service="toy")
    db.ping()
    assert db.engine.pool.checkedin() == 1  # the parent's connection, pooled
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            forget_inherited_connections()
            dropped = db.engine.pool.checkedin() == 0
            db.ping()  # on a connection of its own
            os.write(write, b"ok" if dropped and db.engine.pool.checkedin() == 1 else b"no")
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.read(read, 2) == b"ok" and status == 0
    # The parent's connection was neither closed nor taken by the child.
    assert db.engine.pool.checkedin() == 1
    db.ping()
    db.dispose()


def test_the_deployed_gunicorn_preloads_the_app_and_its_workers_open_their_own_connections(tmp_path):
    (tmp_path / "toy_app.py").write_text(APP)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
           "TOY_DATABASE_URL": f"sqlite:///{tmp_path / 'toy.db'}", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "m")}
    env.pop("GUNICORN_PRELOAD_APP", None)  # the default
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "--chdir",
                                    str(tmp_path), "toy_app:app"], env=env, stdout=log_file, stderr=log_file)
    try:
        answers = []

        def answered_by_both_workers():
            assert process.poll() is None, log.read_text()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/")
                answers.append(json.loads(connection.getresponse().read()))
                connection.close()
            except OSError:
                return False  # not listening yet
            return len({answer["pid"] for answer in answers}) >= 2

        wait_for(answered_by_both_workers, timeout=30, message="both gunicorn workers to answer")
        # Built in the master (the module's pid is the master's, not the worker's) ...
        assert {answer["master"] for answer in answers} == {process.pid}
        assert all(answer["pid"] != process.pid for answer in answers)
        # ... and no worker used the connection the master had opened.
        assert not any(answer["inherited_connection"] for answer in answers)
    finally:
        process.terminate()
        process.wait(20)
