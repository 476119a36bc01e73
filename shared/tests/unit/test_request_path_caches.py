"""What the request path keeps between requests to spend less CPU on each
(the app's plain-function cache, the metrics' children, the public paths,
the log formatter's allow-list, the argument schemas) changes nothing that
is counted or refused."""
from __future__ import annotations

import json
import logging
import re

import flask
import flask_smorest
import marshmallow as ma

from carebridge.logs import JsonFormatter
from carebridge.web import Blueprint
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


def test_a_principal_works_out_its_derived_values_once_and_stays_equal_and_hashable():
    import uuid

    from carebridge.auth import Principal

    subject = str(uuid.uuid4())
    nurse = Principal(subject=subject, roles=frozenset({"nurse", "specialist"}))
    twin = Principal(subject=subject, roles=frozenset({"specialist", "nurse"}))
    assert nurse.practitioner_id == uuid.UUID(subject) and nurse.practitioner_id is nurse.practitioner_id
    assert nurse.roles_text == "nurse,specialist" and not nurse.sees_all_patients
    # Values worked out on one principal change neither equality nor hash.
    assert nurse == twin and hash(nurse) == hash(twin) and len({nurse, twin}) == 1
    service = Principal(subject="service:scheduling", roles=frozenset({"service"}), service="scheduling")
    assert service.practitioner_id is None and not service.has_any("nurse") and service.has_any("service", "x")
    assert Principal(subject="x", roles=frozenset({"coordinator"})).sees_all_patients


class TestVerifiedTokenCache:
    """The verifier remembers a verified token by its text; what it
    remembers never outlives the token, nor VERIFIED_CACHE_SECONDS, nor
    VERIFIED_CACHE_SIZE entries."""

    SECRET = "a-test-secret-of-at-least-32-bytes-long!"

    def _verifier(self, secret=SECRET):
        from carebridge.auth.tokens import TokenVerifier
        from carebridge.config import Settings
        return TokenVerifier(Settings.from_env("patients", {"JWT_SECRET": secret}))

    def _token(self, ttl=600, secret=SECRET):
        from carebridge.auth.tokens import issue_token
        from carebridge.config import Settings
        return issue_token(Settings.from_env("patients", {"JWT_SECRET": secret}), ["nurse"], ttl_seconds=ttl)

    def test_an_expired_token_is_refused_though_it_was_remembered(self):
        from carebridge.auth import InvalidToken
        from carebridge.auth.tokens import TokenVerifier, issue_token
        from carebridge.config import Settings
        from carebridge.testing.helpers import wait_for

        settings = Settings.from_env("patients", {"JWT_SECRET": self.SECRET, "JWT_LEEWAY_SECONDS": "0"})
        verifier, token = TokenVerifier(settings), issue_token(settings, ["nurse"], ttl_seconds=1)
        first = verifier.verify(token)
        assert verifier.verify(token) is first  # remembered

        def refused() -> bool:
            try:
                verifier.verify(token)
            except InvalidToken:
                return True
            return False

        wait_for(refused, timeout=5, message="an expired token was still accepted")
        assert token not in verifier._verified

    def test_a_remembered_token_is_verified_afresh_after_the_remembering_window(self, monkeypatch):
        import time as real_time

        import pytest

        from carebridge.auth import InvalidToken
        from carebridge.auth import tokens

        token = self._token(ttl=3600)
        verifier = self._verifier()
        verifier.verify(token)
        # The key is withdrawn (here: the verifier's secret changes); within
        # the window the remembered token still passes, after it it does not.
        verifier.settings = self._verifier(secret="another-secret-of-at-least-32-bytes-long").settings
        assert verifier.verify(token).roles == frozenset({"nurse"})
        later = real_time.time() + tokens.VERIFIED_CACHE_SECONDS + 1
        monkeypatch.setattr(tokens.time, "time", lambda: later)
        with pytest.raises(InvalidToken):
            verifier.verify(token)

    def test_the_cache_is_bounded(self, monkeypatch):
        from carebridge.auth import tokens

        monkeypatch.setattr(tokens, "VERIFIED_CACHE_SIZE", 3)
        verifier = self._verifier()
        issued = [self._token(ttl=600 + n) for n in range(7)]
        for token in issued:
            verifier.verify(token)
            assert len(verifier._verified) <= 3
        assert issued[-1] in verifier._verified

    def test_a_forged_token_is_refused_whatever_is_remembered(self):
        import pytest

        from carebridge.auth import InvalidToken

        verifier, token = self._verifier(), self._token()
        verifier.verify(token)
        forged = self._token(secret="not-the-secret-but-32-bytes-or-longer!!")
        with pytest.raises(InvalidToken):
            verifier.verify(forged)


def test_an_argument_schema_is_made_once_and_each_request_still_gets_its_own_arguments():
    made = []

    class ToyArgs(ma.Schema):
        size = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))

        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    app = flask.Flask(__name__)
    app.config.update(API_TITLE="toy", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    blp = Blueprint("toy", __name__)

    @blp.route("/toys")
    @blp.arguments(ToyArgs, location="query")
    def toys(args):
        return {"size": args["size"]}

    flask_smorest.Api(app).register_blueprint(blp)
    client = app.test_client()
    made_before_requests = len(made)
    assert [client.get(f"/toys?size={size}").get_json() for size in (1, 2, 3)] == [{"size": n} for n in (1, 2, 3)]
    assert client.get("/toys?size=0").status_code == 422
    assert client.get("/toys").status_code == 422
    assert client.get("/toys?size=4").get_json() == {"size": 4}
    assert made_before_requests == 1 and len(made) == 1     # webargs would make one per request from the class
