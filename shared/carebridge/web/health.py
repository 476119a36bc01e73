"""Probes and metrics: `/healthz` (the process answers), `/readyz` (its
database and broker answer; unready while either is down) and `/metrics`
(Prometheus)."""
from __future__ import annotations

import logging
import os
import threading
import time

from flask import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

from ..bus import broker_reachable
from ..metrics import outbox_backlog
from .api import Blueprint
from .current import current_runtime
from .problems import problem

log = logging.getLogger(__name__)

blueprint = Blueprint("health", __name__, description="Liveness, readiness and metrics (no token needed)")

# A readiness probe every few seconds must not open a broker connection each
# time; a short-lived answer is as good.
_BROKER_CHECK_TTL = 5.0
_broker_state = {"checked": 0.0, "ok": False}
_broker_lock = threading.Lock()


def _broker_ok(url: str) -> bool:
    with _broker_lock:
        if time.monotonic() - _broker_state["checked"] > _BROKER_CHECK_TTL or not _broker_state["ok"]:
            _broker_state["ok"] = broker_reachable(url)
            _broker_state["checked"] = time.monotonic()
        return _broker_state["ok"]


@blueprint.route("/healthz")
@blueprint.doc(security=[], summary="The process is alive")
@blueprint.response(200)
def healthz():
    return {"status": "ok", "service": current_runtime().service.name}


@blueprint.route("/readyz")
@blueprint.doc(security=[], summary="The database and the broker are reachable")
@blueprint.response(200)
def readyz():
    runtime = current_runtime()
    checks = {}
    try:
        runtime.db.ping()
        checks["database"] = "ok"
    except Exception as error:
        log.warning("readiness: database unreachable", extra={"error_type": type(error).__name__})
        checks["database"] = "unreachable"
    checks["broker"] = "ok" if _broker_ok(runtime.settings.broker_url) else "unreachable"
    if any(state != "ok" for state in checks.values()):
        return problem(503, "Not ready: " + ", ".join(k for k, v in checks.items() if v != "ok") + " unreachable.",
                       checks=checks, headers={"Retry-After": "5"})
    return {"status": "ready", "checks": checks}


@blueprint.route("/metrics")
@blueprint.doc(security=[], summary="Prometheus metrics")
def metrics():
    runtime = current_runtime()
    try:
        outbox_backlog.labels(runtime.service.name).set(runtime.outbox_backlog())
    except Exception:
        log.warning("metrics: could not count the outbox backlog")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        payload = generate_latest(registry)
    else:
        payload = generate_latest()
    return Response(payload, mimetype=CONTENT_TYPE_LATEST)
