"""Per-request plumbing: request id, authentication, metrics, access log."""
from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, g, request

from .. import context
from ..auth import InvalidToken
from ..metrics import http_latency, http_requests
from .current import current_runtime
from .guards import refuse_services_not_allowed
from .input_rules import check_request
from .problems import problem

log = logging.getLogger("carebridge.access")

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
# Paths anyone may call: probes, metrics, and the API description.
PUBLIC_PREFIXES = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/.well-known/carebridge")


def _is_public(path: str) -> bool:
    prefixes = (*PUBLIC_PREFIXES, *current_runtime().service.public_page_prefixes)
    return any(path == p or path.startswith(p + "/") for p in prefixes)


def _begin():
    g.started = time.perf_counter()
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _VALID_REQUEST_ID.match(incoming) else str(uuid.uuid4())
    g._context_tokens = [(context.correlation_id, context.correlation_id.set(g.request_id)),
                         (context.causation_id, context.causation_id.set(None)),
                         (context.principal, context.principal.set(None))]


def _authenticate():
    if request.method == "OPTIONS" or _is_public(request.path):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return problem(401, "Send a bearer token in the Authorization header.",
                       headers={"WWW-Authenticate": 'Bearer realm="carebridge"'})
    try:
        principal = current_runtime().verifier.verify(token.strip())
    except InvalidToken:
        return problem(401, "The bearer token is invalid, expired or not meant for this service.",
                       headers={"WWW-Authenticate": 'Bearer realm="carebridge", error="invalid_token"'})
    g.principal = principal
    context.principal.set(principal)
    return None


def _refuse_malformed_json():
    """A body that claims to be JSON and is not is a 400 for every endpoint
    and every caller, before roles or resources are even looked at."""
    if request.method not in ("POST", "PUT", "PATCH") or not request.is_json:
        return None
    raw = request.get_data(cache=True)
    if not raw:
        return None
    try:
        json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return problem(400, "The request body is not valid JSON.", title="Malformed JSON", type_slug="malformed-json")
    return None


# Metrics label a request by its method only when it is one HTTP knows: any
# other word a client sends would otherwise make a new time series each.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})


def _finish(response):
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    service = current_runtime().service.name
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    method = request.method if request.method in KNOWN_METHODS else "other"
    http_requests.labels(service, method, route, str(response.status_code)).inc()
    http_latency.labels(service, method, route).observe(elapsed)
    if not _is_public(request.path):
        # The route template, never the concrete path: ids in paths are
        # identifiers, but query strings can carry names.
        log.info("request", extra={"method": method, "route": route, "status": response.status_code,
                                   "duration_ms": round(elapsed * 1000, 1)})
    return response


def _reset_context(_exc=None):
    for var, token in reversed(g.pop("_context_tokens", [])):
        var.reset(token)


def register_request_hooks(app: Flask) -> None:
    app.before_request(_begin)
    app.before_request(_authenticate)
    app.before_request(refuse_services_not_allowed)
    app.before_request(check_request)
    app.before_request(_refuse_malformed_json)
    app.after_request(_finish)
    app.teardown_request(_reset_context)
