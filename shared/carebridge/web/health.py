"""Probes and metrics: `/healthz` (the process answers), `/readyz` (its
database answers; unready while it does not) and `/metrics` (Prometheus).

Readiness leaves the broker out on purpose: an API writes its events to the
outbox in its own database and the worker's relay publishes them, so an API
that cannot reach the broker still serves every request. Were the broker in
the check, a broker outage would take every API out of its Service within
seconds. The worker's readiness is the broker (`runtime/worker.py`).
Liveness depends on no other system: a restart would not bring one back."""
from __future__ import annotations

import logging
import os

from flask import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

from ..metrics import outbox_backlog
from .api import Blueprint
from .current import current_runtime
from .problems import problem

log = logging.getLogger(__name__)

blueprint = Blueprint("health", __name__, description="Liveness, readiness and metrics (no token needed)")


@blueprint.route("/healthz")
@blueprint.doc(security=[], summary="The process is alive")
@blueprint.response(200)
def healthz():
    return {"status": "ok", "service": current_runtime().service.name}


@blueprint.route("/readyz")
@blueprint.doc(security=[], summary="The database is reachable")
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
