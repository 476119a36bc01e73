"""Per-request plumbing: request id, authentication, metrics, access log."""
from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, current_app, g, request

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


def _public_prefixes() -> tuple[str, ...]:
    """The kit's public prefixes and the service's own public pages, each
    as itself and followed by "/" (asked twice on every request: built once
    per app)."""
    app = current_app._get_current_object()
    prefixes = app.extensions.get(_PUBLIC_PREFIXES_KEY)
    if prefixes is None:
        names = (*PUBLIC_PREFIXES, *current_runtime().service.public_page_prefixes)
        prefixes = app.extensions[_PUBLIC_PREFIXES_KEY] = (tuple(names), tuple(p + "/" for p in names))
    return prefixes


_PUBLIC_PREFIXES_KEY = "carebridge.public_prefixes"


def _is_public(path: str) -> bool:
    exact, under = _public_prefixes()
    return path in exact or path.startswith(under)


def _begin():
    g.started = time.perf_counter()
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _VALID_REQUEST_ID.match(incoming) else str(uuid.uuid4())
    g._context_tokens = [(context.correlation_id, context.correlation_id.set(g.request_id)),
                         (context.causation_id, context.causation_id.set(None)),
                         (context.principal, context.principal.set(None))]


def _authenticate():
    current = request._get_current_object()
    if current.method == "OPTIONS" or _is_public(current.path):
        return None
    header = current.headers.get("Authorization", "")
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
    if request.method not in _WITH_BODY or not request.is_json:
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
_WITH_BODY = ("POST", "PUT", "PATCH")

# The metrics' children by their labels: `labels()` checks and joins the
# label values and takes the metric's lock on every call, which cost more
# than the increment itself. The label values are bounded (known methods,
# route templates, statuses, the service), so this stays small.
_request_counters: dict[tuple[str, str, str, int], object] = {}
_latency_histograms: dict[tuple[str, str, str], object] = {}


def _count(service: str, method: str, route: str, status: int, elapsed: float) -> None:
    counter = _request_counters.get((service, method, route, status))
    if counter is None:
        counter = _request_counters[(service, method, route, status)] = http_requests.labels(
            service, method, route, str(status))
    histogram = _latency_histograms.get((service, method, route))
    if histogram is None:
        histogram = _latency_histograms[(service, method, route)] = http_latency.labels(service, method, route)
    counter.inc()
    histogram.observe(elapsed)


def _finish(response):
    now = time.perf_counter()
    context_globals = g._get_current_object()
    current = request._get_current_object()
    response.headers[REQUEST_ID_HEADER] = getattr(context_globals, "request_id", "")
    service = current_runtime().service.name
    rule = current.url_rule
    route = rule.rule if rule is not None else "unmatched"
    elapsed = now - getattr(context_globals, "started", now)
    method = current.method if current.method in KNOWN_METHODS else "other"
    status = response.status_code
    _count(service, method, route, status, elapsed)
    if not _is_public(current.path):
        # The route template, never the concrete path: ids in paths are
        # identifiers, but query strings can carry names.
        log.info("request", extra={"method": method, "route": route, "status": status,
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
