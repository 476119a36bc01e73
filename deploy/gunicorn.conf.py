"""Gunicorn settings for every CareBridge API (real mode, images, and the
whole-stack tests). Everything can be tuned from the environment:

    GUNICORN_BIND            default 0.0.0.0:8000
    GUNICORN_WORKERS         default 2 (scale scheduling up at peak)
    GUNICORN_THREADS         default 4 threads per worker (gthread)
    GUNICORN_WORKER_CLASS    default carebridge.runtime.gunicorn_worker.BalancingThreadWorker
                             (gthread, which leaves new connections to a less busy sibling)
    GUNICORN_TIMEOUT         default 30 s without a heartbeat before a worker is replaced
    GUNICORN_GRACEFUL_TIMEOUT default 20 s to finish in-flight requests on shutdown
"""
import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "carebridge.runtime.gunicorn_worker.BalancingThreadWorker")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak cannot grow without bound;
# the jitter keeps them from all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "2000"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log as JSON on stdout. The path only (%(U)s), never the query
# string: a search by name would otherwise write the name into the log.
accesslog = "-"
access_log_format = (
    '{"ts": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s, "request_id": "%({x-request-id}o)s", '
    '"remote_addr": "%(h)s"}'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

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


def post_worker_init(worker):
    # What the worker has loaded by now (the app and its libraries, some
    # 230,000 objects) lives as long as the worker. Out of the garbage
    # collector's sight, a full collection no longer stalls a request for
    # ~150 ms scanning it (seen as the p95/p99 of slot search).
    import gc
    gc.collect()
    gc.freeze()
