"""Gunicorn settings for every CareBridge API (real mode, images, and the
whole-stack tests). Everything can be tuned from the environment: the
variables are declared in `carebridge.runtime.gunicorn_settings` and listed
in docs/settings.md.
"""
import os
import shutil
import tempfile

from carebridge.runtime.gunicorn_settings import GunicornSettings

_settings = GunicornSettings.from_env()
bind = _settings.bind
workers = _settings.workers
worker_class = _settings.worker_class
threads = _settings.threads
timeout = _settings.timeout
graceful_timeout = _settings.graceful_timeout
keepalive = _settings.keepalive
max_requests = _settings.max_requests
max_requests_jitter = _settings.max_requests_jitter
forwarded_allow_ips = _settings.forwarded_allow_ips
# The app is built in the master and the workers are forked from it: the
# imported code's pages are shared copy-on-write rather than imported again
# by each worker. What the master opened (database pools) is dropped in
# each worker by post_fork below.
preload_app = _settings.preload_app

# Access log as JSON on stdout. The path only (%(U)s), never the query
# string: a search by name would otherwise write the name into the log.
accesslog = "-"
access_log_format = (
    '{"ts": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s, "request_id": "%({x-request-id}o)s", '
    '"remote_addr": "%(h)s"}'
)
errorlog = "-"
loglevel = _settings.log_level

# Prometheus: every worker writes its samples to a shared folder so /metrics
# reports the whole service, not whichever worker answered.
_OWN_METRICS_DIR = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _OWN_METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="carebridge-metrics-")


def on_starting(server):
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _OWN_METRICS_DIR:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


def pre_fork(server, worker):
    # Before each fork: the objects built so far (with a preloaded app, all
    # of its modules) go out of the garbage collector's sight, so that a
    # collection in a worker does not write to their headers and copy the
    # pages the worker shares with the master.
    import gc
    if not gc.get_freeze_count():
        gc.collect()
    gc.freeze()


def post_fork(server, worker):
    # With a preloaded app, the worker inherits the master's database pools:
    # their connections are the master's sockets, not to be used or closed
    # here; the worker opens its own.
    from carebridge.db.engine import forget_inherited_connections
    forget_inherited_connections()


def post_worker_init(worker):
    # What the worker has loaded by now (the app and its libraries, some
    # 230,000 objects) lives as long as the worker. Out of the garbage
    # collector's sight, a full collection no longer stalls a request for
    # ~150 ms scanning it (seen as the p95/p99 of slot search).
    import gc
    gc.collect()
    gc.freeze()
