"""What the client does on the wire, against a scripted HTTP server: the
Idempotency-Key of a POST kept across its retries, retries with backoff on
503 and connection errors only, timeouts, and the token providers (client
credentials fetched again before expiry; the development token only from a
stack in development mode)."""
from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import requests

from carebridge_client import (CareBridge, ClientCredentials, DevelopmentToken, NotDevelopment, ServiceUnavailable,
                               StaticToken, ValidationFailed)


class Scripted:
    """A server answering each request with the next scripted (status, body)
    ("drop" closes the connection without answering), recording what came."""

    def __init__(self, script):
        self.script = list(script)
        self.seen = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                   "body": body.decode()})
                status, answer = outer.script.pop(0) if outer.script else (500, {})
                if status == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if status == "slow":
                    time.sleep(answer)
                    status, answer = 200, {}
                payload = json.dumps(answer).encode()
                self.send_response(status)
                kind = "application/problem+json" if status >= 400 else "application/json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("X-Request-ID", self.headers.get("X-Request-ID", ""))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server(request):
    made = []

    def make(*script):
        made.append(Scripted(script))
        return made[-1]

    yield make
    for s in made:
        s.close()


PRACTITIONER = {"id": "6f0c4c1e-1d1b-4b7e-9a55-3f1f0d6e2a10", "given_name": "Ana", "family_name": "Silva",
                "role": "nurse", "active": True}
UNAVAILABLE = {"type": "urn:carebridge:problem:unavailable", "title": "Service unavailable", "status": 503}


def client(url, **kwargs) -> CareBridge:
    return CareBridge({"patients": url}, StaticToken("t0ken"), backoff=0.01, **kwargs)


def test_a_post_retried_after_503_and_a_dropped_connection_keeps_its_idempotency_key(server):
    stub = server((503, UNAVAILABLE), ("drop", None), (201, PRACTITIONER))
    made = client(stub.url).patients.add_practitioner(given_name="Ana", family_name="Silva", role="nurse", time_zone="UTC",
                                                      x_request_id="req-1")
    assert made.id == PRACTITIONER["id"] and made.request_id == "req-1"
    keys = {seen["headers"]["Idempotency-Key"] for seen in stub.seen}
    assert len(stub.seen) == 3 and len(keys) == 1
    assert {seen["headers"]["X-Request-ID"] for seen in stub.seen} == {"req-1"}
    assert all(seen["headers"]["Authorization"] == "Bearer t0ken" for seen in stub.seen)


def test_every_post_has_a_key_of_its_own(server):
    stub = server((201, PRACTITIONER), (201, PRACTITIONER))
    cb = client(stub.url)
    for _ in range(2):
        cb.patients.add_practitioner(given_name="Ana", family_name="Silva", role="nurse", time_zone="UTC")
    assert len({seen["headers"]["Idempotency-Key"] for seen in stub.seen}) == 2


def test_503_is_raised_after_the_last_retry(server):
    stub = server(*[(503, UNAVAILABLE)] * 3)
    with pytest.raises(ServiceUnavailable) as error:
        client(stub.url, retries=2).patients.get_practitioner(PRACTITIONER["id"])
    assert len(stub.seen) == 3 and error.value.request_id


def test_other_errors_are_not_retried(server):
    stub = server((422, {"type": "urn:carebridge:problem:validation", "title": "Invalid request", "status": 422,
                         "errors": {"role": ["Must be one of: nurse."]}}))
    with pytest.raises(ValidationFailed) as error:
        client(stub.url).patients.add_practitioner(given_name="Ana", family_name="Silva", role="wizard", time_zone="UTC")
    assert len(stub.seen) == 1 and error.value.errors == {"role": ["Must be one of: nurse."]}


def test_connection_errors_are_retried_then_raised():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(requests.ConnectionError):
        client(f"http://127.0.0.1:{port}", retries=2).patients.get_practitioner(PRACTITIONER["id"])
    assert time.monotonic() - started >= 0.01 + 0.02  # two pauses of the backoff


def test_every_call_has_a_timeout(server):
    stub = server(("slow", 1.0))
    with pytest.raises(requests.Timeout):
        client(stub.url, timeout=0.2, retries=0).patients.get_practitioner(PRACTITIONER["id"])


def test_client_credentials_are_fetched_again_before_they_expire(server, monkeypatch):
    idp = server((200, {"access_token": "first", "expires_in": 1}), (200, {"access_token": "second",
                                                                         "expires_in": 3600}))
    api = server((200, PRACTITIONER), (200, PRACTITIONER), (200, PRACTITIONER))
    provider = ClientCredentials(idp.url + "/token", "staff-app", "s3cret", scope="carebridge")
    cb = CareBridge({"patients": api.url}, provider)
    cb.patients.get_practitioner(PRACTITIONER["id"])
    # The provider's clock moved past the renewal point (half the lifetime
    # of a 1 s token), without waiting for it.
    later = time.monotonic() + 0.6
    monkeypatch.setattr("carebridge_client.auth.time", SimpleNamespace(monotonic=lambda: later))
    cb.patients.get_practitioner(PRACTITIONER["id"])
    cb.patients.get_practitioner(PRACTITIONER["id"])
    assert [seen["headers"]["Authorization"] for seen in api.seen] == ["Bearer first", "Bearer second",
                                                                         "Bearer second"]
    assert len(idp.seen) == 2
    request = idp.seen[0]
    assert "grant_type=client_credentials" in request["body"] and "scope=carebridge" in request["body"]
    assert request["headers"]["Authorization"].startswith("Basic ")


def test_the_development_token_is_refused_by_a_stack_not_in_development(server):
    stack = server((200, {"service": "patients", "version": "1", "environment": "production",
                          "tokens": {"issuer": "idp", "audience": "carebridge", "development_token_url": None}}))
    cb = CareBridge({"patients": stack.url}, DevelopmentToken("admin"))
    with pytest.raises(NotDevelopment):
        cb.patients.get_practitioner(PRACTITIONER["id"])
    assert [seen["path"] for seen in stack.seen] == ["/.well-known/carebridge"]
