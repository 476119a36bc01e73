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

import marshmallow as ma
from flask import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

from ..metrics import outbox_backlog
from .api import Blueprint, operation_noun
from .current import current_runtime
from .problems import problem

log = logging.getLogger(__name__)

def healthz():
    return {"status": "ok", "service": current_runtime().service.name}


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


class LivenessSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(("ok",)))
    service = ma.fields.String(required=True)


class ReadinessSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(("ready",)))
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(validate=ma.validate.OneOf(("ok",))),
                            required=True, metadata={"description": "the database"})


_METRICS_RESPONSE = {"200": {"description": "The Prometheus text format",
                             "content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}}


def probes(service_name: str) -> Blueprint:
    """The probes of one service. Every service answers the same paths, so
    their operationIds carry the service's name (`checkPatientsLiveness`):
    ids stay unique when the documents are merged."""
    noun = operation_noun(service_name)
    blueprint = Blueprint("health", __name__, description="Liveness, readiness and metrics (no token needed)")
    blueprint.route("/healthz")(
        blueprint.doc(security=[], operationId=f"check{noun}Liveness", summary="Check that the process answers")(
            blueprint.response(200, LivenessSchema, example={"status": "ok", "service": service_name})(healthz)))
    blueprint.route("/readyz")(
        blueprint.doc(security=[], operationId=f"check{noun}Readiness",
                      summary="Check that the database answers")(
            blueprint.response(200, ReadinessSchema, example={
                "status": "ready", "checks": {"database": "ok"}})(readyz)))
    blueprint.route("/metrics")(
        blueprint.doc(security=[], operationId=f"read{noun}Metrics", summary="Read the Prometheus metrics",
                      responses=_METRICS_RESPONSE)(metrics))
    return blueprint
