"""What the request path keeps between requests to spend less CPU on each
(the app's plain-function cache, the metrics' children, the public paths,
the log formatter's allow-list) changes nothing that is counted or refused."""
from __future__ import annotations

import json
import logging
import re

from carebridge.logs import JsonFormatter
from carebridge.web.app import KitFlask
from carebridge.web import hooks


def _requests_counted(client, route: str, status: str) -> float:
    exposed = client.get("/metrics").get_data(as_text=True)
    pattern = (r'carebridge_http_requests_total\{[^}]*method="GET"[^}]*route="' + re.escape(route)
               + r'"[^}]*status="' + status + r'"[^}]*\} ([0-9.e+]+)')
    return sum(float(value) for value in re.findall(pattern, exposed))


def test_every_request_is_still_counted_once_the_metric_child_is_kept(client, auth):
    before = _requests_counted(client, "/toys", "200")
    for _ in range(3):
        assert client.get("/toys", headers=auth()).status_code == 200
    assert _requests_counted(client, "/toys", "200") == before + 3
    # Another status of the same route is a series of its own.
    refused_before = _requests_counted(client, "/toys", "401")
    client.get("/toys")
    assert _requests_counted(client, "/toys", "401") == refused_before + 1
    assert _requests_counted(client, "/toys", "200") == before + 3


def test_plain_functions_are_remembered_and_async_ones_still_wrapped():
    app = KitFlask(__name__)

    def plain():
        return "plain"

    async def coroutine():
        return "awaited"

    assert app.ensure_sync(plain) is plain and plain in app._plain_functions
    assert app.ensure_sync(plain) is plain
    # An async function goes to Flask's wrapping every time (which, without
    # Flask's async extra, as here, refuses it): never taken for a plain one.
    for _ in range(2):
        try:
            wrapped = app.ensure_sync(coroutine)
        except RuntimeError:
            wrapped = None
        assert wrapped is not coroutine
    assert coroutine not in app._plain_functions


def test_the_plain_function_cache_is_bounded():
    app = KitFlask(__name__)
    made = []
    for n in range(5000):
        def view(n=n):
            return n
        made.append(view)
        assert app.ensure_sync(view) is view
    assert len(app._plain_functions) == 4096


def test_public_paths_need_no_token_and_others_do(client, auth):
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/").status_code in (200, 308, 404)  # not refused as unauthenticated
    assert client.get("/healthzz").status_code == 401
    assert client.get("/metrics").status_code == 200
    assert client.get("/toys").status_code == 401
    assert hooks._PUBLIC_PREFIXES_KEY in client.application.extensions


def test_log_lines_keep_only_allowed_extra_fields():
    record = logging.LogRecord("carebridge.access", logging.INFO, __file__, 1, "request", None, None)
    record.__dict__.update({"route": "/patients/<uuid:patient_id>", "status": 200, "given_name": "Ada",
                            "message_extra": "x", "level": "forged"})
    entry = json.loads(JsonFormatter("patients").format(record))
    assert entry["route"] == "/patients/<uuid:patient_id>" and entry["status"] == 200
    assert "given_name" not in entry and "message_extra" not in entry
    assert entry["level"] == "INFO" and entry["service"] == "patients"
