"""Production key set-ups (RS256 public key, JWKS URL), the development token
command, and the service-to-service HTTP client, against real local HTTP
servers."""
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from carebridge import context
from carebridge.auth import InvalidToken, TokenVerifier, issue_token
from carebridge.config import Settings
from carebridge.errors import DependencyUnavailable
from carebridge.http_client import ServiceClient


@pytest.fixture(scope="module")
def rsa_keys():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return key, private, public


class _Server:
    def __init__(self, handler_class):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()


def test_a_remembered_token_stops_working_when_it_expires():
    # Verified tokens are remembered (carebridge.auth.tokens): the memory must
    # not outlive the token's own expiry.
    from carebridge.testing import wait_for
    settings = Settings.from_env("kit-tests", {"JWT_LEEWAY_SECONDS": "0"})
    verifier = TokenVerifier(settings)
    token = issue_token(settings, ["nurse"], subject="n-1", ttl_seconds=1)
    assert verifier.verify(token).subject == "n-1"
    assert verifier.verify(token).subject == "n-1"  # the remembered answer

    def refused():
        try:
            verifier.verify(token)
        except InvalidToken:
            return True
        return False

    wait_for(refused, timeout=5, message="the expired token to be refused")


def test_a_tampered_copy_of_a_remembered_token_is_refused():
    settings = Settings.from_env("kit-tests", {})
    verifier = TokenVerifier(settings)
    token = issue_token(settings, ["nurse"], subject="n-1")
    verifier.verify(token)
    header, payload, signature = token.split(".")
    with pytest.raises(InvalidToken):
        verifier.verify(f"{header}.{payload}.{signature[:-2]}AA" if not signature.endswith("AA")
                        else f"{header}.{payload}.{signature[:-2]}BB")


def test_rs256_tokens_verify_with_the_public_key(rsa_keys):
    _key, private, public = rsa_keys
    issuer = Settings.from_env("t", {"JWT_ALGORITHMS": "RS256", "JWT_PRIVATE_KEY": private})
    verifier = TokenVerifier(Settings.from_env("t", {"JWT_ALGORITHMS": "RS256", "JWT_PUBLIC_KEY": public}))
    principal = verifier.verify(issue_token(issuer, ["nurse"], subject="n-1"))
    assert principal.subject == "n-1" and principal.roles == {"nurse"}
    # An HS256 token signed with the public key as secret (the classic
    # algorithm-confusion attack) is refused.
    forged = jwt.encode({"iss": "carebridge-dev", "aud": "carebridge", "sub": "x", "iat": int(time.time()),
                         "exp": int(time.time()) + 60, "roles": ["admin"]}, "not-the-key-" * 4, algorithm="HS256")
    with pytest.raises(InvalidToken):
        verifier.verify(forged)


def test_tokens_verify_against_a_jwks_url(rsa_keys):
    key, private, _public = rsa_keys
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "key-1", "use": "sig", "alg": "RS256"})

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"keys": [jwk]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = _Server(Jwks)
    try:
        settings = Settings.from_env("t", {"JWT_ALGORITHMS": "RS256", "JWT_JWKS_URL": server.url + "/jwks"})
        now = int(time.time())
        token = jwt.encode({"iss": "carebridge-dev", "aud": "carebridge", "sub": "p-1", "iat": now, "exp": now + 60,
                            "roles": ["physician"]}, private, algorithm="RS256", headers={"kid": "key-1"})
        assert TokenVerifier(settings).verify(token).roles == {"physician"}
    finally:
        server.close()


def test_token_command_prints_a_token_the_services_accept():
    output = subprocess.run([sys.executable, "-m", "carebridge", "token", "--role", "billing", "--sub", "b-7"],
                            capture_output=True, text=True, check=True).stdout
    token = output.strip().split()[-1]
    principal = TokenVerifier(Settings.from_env("t", {})).verify(token)
    assert principal.subject == "b-7" and principal.roles == {"billing"}
    refused = subprocess.run([sys.executable, "-m", "carebridge", "token", "--role", "janitor"],
                             capture_output=True, text=True)
    assert refused.returncode == 2


class TestServiceClient:
    @pytest.fixture
    def server(self):
        seen = []

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                seen.append((self.command, self.path, dict(self.headers)))
                status = 503 if self.path.startswith("/flaky") and len(seen) < 3 else 200
                if self.path.startswith("/slow"):
                    time.sleep(1.5)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except BrokenPipeError:
                    pass  # the client gave up waiting, as it should

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        server = _Server(Handler)
        server.seen = seen
        yield server
        server.close()

    def client(self, server, **overrides):
        settings = Settings.from_env("scheduling", {"PATIENTS_URL": server.url}).with_overrides(**overrides)
        return ServiceClient(settings, "patients")

    def test_passes_the_service_token_and_the_correlation_id(self, server):
        with context.acting(correlation="req-42"):
            assert self.client(server).get("/patients/1").status_code == 200
        _method, _path, headers = server.seen[0]
        assert headers["X-Request-ID"] == "req-42"
        principal = TokenVerifier(Settings.from_env("t", {})).verify(headers["Authorization"].split()[1])
        assert principal.roles == {"service"} and principal.subject == "service:scheduling"

    def test_retries_idempotent_calls_only(self, server):
        assert self.client(server).get("/flaky").status_code == 200
        assert [m for m, _p, _h in server.seen] == ["GET", "GET", "GET"]
        server.seen.clear()
        assert self.client(server).post("/flaky", json={}).status_code == 503
        assert [m for m, _p, _h in server.seen] == ["POST"]

    def test_a_slow_service_is_a_dependency_error_not_a_hang(self, server):
        client = self.client(server, http_read_timeout=0.3, http_retries=0)
        started = time.monotonic()
        with pytest.raises(DependencyUnavailable):
            client.get("/slow")
        assert time.monotonic() - started < 1.4
