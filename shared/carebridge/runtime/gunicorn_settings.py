"""The API processes' gunicorn settings (read by deploy/gunicorn.conf.py),
declared like every other setting so that the settings table lists them."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

from ..config import read_declared, setting


@dataclass(frozen=True)
class GunicornSettings:
    bind: str = setting("0.0.0.0:8000", "Address the API listens on.", env="GUNICORN_BIND")
    workers: int = setting(2, "API worker processes (scale scheduling up at peak).", env="GUNICORN_WORKERS",
                           minimum=1)
    threads: int = setting(4, "Threads per API worker process.", env="GUNICORN_THREADS", minimum=1)
    worker_class: str = setting("carebridge.runtime.gunicorn_worker.BalancingThreadWorker",
                                "gunicorn worker class (gthread that leaves new connections to an idle sibling).",
                                env="GUNICORN_WORKER_CLASS")
    timeout: int = setting(30, "Seconds without a heartbeat before a worker is replaced.", env="GUNICORN_TIMEOUT",
                           minimum=1)
    graceful_timeout: int = setting(20, "Seconds to finish in-flight requests on shutdown.",
                                    env="GUNICORN_GRACEFUL_TIMEOUT", minimum=0)
    keepalive: int = setting(5, "Seconds an idle keep-alive connection is held.", env="GUNICORN_KEEPALIVE",
                             minimum=0)
    # Recycle workers now and then so a slow leak cannot grow without bound;
    # the jitter keeps them from all restarting at once.
    max_requests: int = setting(20000, "Requests after which a worker is recycled (0: never).",
                                env="GUNICORN_MAX_REQUESTS", minimum=0)
    max_requests_jitter: int = setting(2000, "Random spread of max_requests between workers.",
                                       env="GUNICORN_MAX_REQUESTS_JITTER", minimum=0)
    forwarded_allow_ips: str = setting("127.0.0.1,::1", "Proxies whose X-Forwarded-* headers are trusted.",
                                       env="FORWARDED_ALLOW_IPS")
    log_level: str = setting("info", "gunicorn's own log level.", env="GUNICORN_LOG_LEVEL")
    # The app is built once in the master and the workers forked from it,
    # so the pages of the imported code are shared copy-on-write instead of
    # each worker importing its own copy (bench/README.md, issue 26).
    preload_app: bool = setting(True, "Build the app in the master before forking the workers (shares the "
                                      "imported code's memory between them).", env="GUNICORN_PRELOAD_APP")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "GunicornSettings":
        env = os.environ if environ is None else environ
        return cls(**read_declared(cls, env.get))
