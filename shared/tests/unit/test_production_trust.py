"""Issue 22, signing tokens: what production accepts (asymmetric keys from a
public key or the identity provider's JWKS, symmetric secrets only when
enabled and strong), expiry leeway and maximum lifetime, service
identities, claim names of real identity providers, the development token
command, and service-to-service tokens by OAuth 2.0 client credentials.
The JWKS and the token endpoint are real HTTP servers on this machine."""
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from urllib.parse import parse_qs

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from carebridge.auth import DEV_SUBJECTS, InvalidToken, TokenVerifier, issue_token
from carebridge.config import DEV_JWT_SECRET, ConfigurationError, Settings
from carebridge.errors import DependencyUnavailable

PRODUCTION = {"CAREBRIDGE_ENV": "production", "BROKER_URL": "amqp://patients:pw@broker",
              "DATABASE_URL": "postgresql://db/patients", "AUDIT_HMAC_KEY": "k" * 32,
              "AUDIT_CHECKPOINT_DIR": "/mnt/audit-checkpoints"}
STRONG_SECRET = secrets.token_urlsafe(48)
ISSUER, AUDIENCE = "https://idp.example.org/realms/carebridge", "carebridge"


def _pem(key) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _claims(lifetime=300, **overrides) -> dict:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "p-1", "iat": now, "exp": now + lifetime, "roles": ["nurse"]}
    claims.update(overrides)
    return claims


class _HttpServer:
    """A werkzeug server on a free local port, answering with `app(request)`."""

    def __init__(self, app):
        self.requests: list[Request] = []

        @Request.application
        def wsgi(request):
            self.requests.append(request)
            return app(request)

        self._server = make_server("127.0.0.1", 0, wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self):
        self._server.shutdown()


# -- what production refuses at start-up ---------------------------------------

class TestProductionKeys:
    @pytest.mark.parametrize("algorithm", ["HS256", "HS384", "HS512"])
    def test_the_development_secret_is_refused_whatever_the_algorithm(self, algorithm):
        with pytest.raises(ConfigurationError):
            Settings.from_env("patients", {**PRODUCTION, "JWT_ALGORITHMS": algorithm, "JWT_SECRET": DEV_JWT_SECRET,
                                           "JWT_ALLOW_SYMMETRIC": "true"})

    @pytest.mark.parametrize("secret", ["x", "s" * 31, "ab" * 40],
                             ids=["one-character", "31-characters", "not-random"])
    def test_a_weak_secret_is_refused_even_when_symmetric_tokens_are_enabled(self, secret):
        with pytest.raises(ConfigurationError):
            Settings.from_env("patients", {**PRODUCTION, "JWT_SECRET": secret, "JWT_ALLOW_SYMMETRIC": "true"})

    def test_symmetric_tokens_only_where_explicitly_enabled(self):
        with pytest.raises(ConfigurationError, match="JWT_ALLOW_SYMMETRIC"):
            Settings.from_env("patients", {**PRODUCTION, "JWT_SECRET": STRONG_SECRET})
        enabled = Settings.from_env("patients", {**PRODUCTION, "JWT_SECRET": STRONG_SECRET,
                                                 "JWT_ALLOW_SYMMETRIC": "true"})
        assert enabled.jwt_algorithms == ("HS256",)

    def test_asymmetric_tokens_need_a_public_key_or_a_jwks_url(self):
        with pytest.raises(ConfigurationError, match="JWT_JWKS_URL"):
            Settings.from_env("patients", {**PRODUCTION, "JWT_ALGORITHMS": "RS256"})
        settings = Settings.from_env("patients", {**PRODUCTION, "JWT_ALGORITHMS": "RS256,ES256",
                                                  "JWT_JWKS_URL": "https://idp.example.org/certs"})
        assert settings.is_production

    def test_no_signing_key_in_a_production_pod(self):
        private = _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))
        with pytest.raises(ConfigurationError, match="JWT_PRIVATE_KEY"):
            Settings.from_env("patients", {**PRODUCTION, "JWT_ALGORITHMS": "RS256", "JWT_PRIVATE_KEY": private,
                                           "JWT_JWKS_URL": "https://idp.example.org/certs"})

    def test_a_symmetric_algorithm_beside_asymmetric_ones_needs_enabling_too(self):
        with pytest.raises(ConfigurationError):
            Settings.from_env("patients", {**PRODUCTION, "JWT_ALGORITHMS": "RS256,HS512",
                                           "JWT_JWKS_URL": "https://idp.example.org/certs"})


# -- expiry ---------------------------------------------------------------------

def test_expired_tokens_get_five_seconds_of_leeway_by_default():
    settings = Settings.from_env("kit-tests", {})
    now = int(time.time())
    expired = jwt.encode({**_claims(iss=settings.jwt_issuer, aud=settings.jwt_audience),
                          "iat": now - 320, "exp": now - 20}, DEV_JWT_SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken):
        TokenVerifier(settings).verify(expired)
    just_expired = jwt.encode({**_claims(iss=settings.jwt_issuer, aud=settings.jwt_audience),
                               "iat": now - 302, "exp": now - 2}, DEV_JWT_SECRET, algorithm="HS256")
    assert TokenVerifier(settings).verify(just_expired).subject == "p-1"
    assert settings.jwt_leeway_seconds == 5


def test_a_token_living_longer_than_the_maximum_lifetime_is_refused():
    settings = Settings.from_env("kit-tests", {})
    thirty_days = jwt.encode(_claims(lifetime=30 * 86400, iss=settings.jwt_issuer, aud=settings.jwt_audience),
                             DEV_JWT_SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken):
        TokenVerifier(settings).verify(thirty_days)
    an_hour = jwt.encode(_claims(lifetime=3600, iss=settings.jwt_issuer, aud=settings.jwt_audience),
                         DEV_JWT_SECRET, algorithm="HS256")
    assert TokenVerifier(settings).verify(an_hour).subject == "p-1"
    longer = Settings.from_env("kit-tests", {"JWT_MAX_LIFETIME_SECONDS": str(31 * 86400)})
    assert TokenVerifier(longer).verify(thirty_days).subject == "p-1"


# -- the development token command -------------------------------------------------

@pytest.mark.parametrize("environment", ["production", "test"])
def test_the_token_command_refuses_to_run_outside_development(environment):
    env = {**os.environ, **PRODUCTION, "CAREBRIDGE_ENV": environment, "JWT_SECRET": STRONG_SECRET,
           "JWT_ALLOW_SYMMETRIC": "true"}
    result = subprocess.run([sys.executable, "-m", "carebridge", "token", "--role", "admin"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 2, result.stdout
    assert "eyJ" not in result.stdout and "development" in result.stderr


def test_the_token_command_refuses_production_before_reading_its_settings():
    env = {**os.environ, "CAREBRIDGE_ENV": "production"}
    result = subprocess.run([sys.executable, "-m", "carebridge", "token", "--role", "admin"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "development" in result.stderr


# -- service identities -------------------------------------------------------------

class TestServiceIdentities:
    def test_a_service_token_names_a_calling_service(self):
        settings = Settings.from_env("kit-tests", {})
        principal = TokenVerifier(settings).verify(issue_token(settings, ["service"], subject="scheduling"))
        assert principal.service == "scheduling" and principal.subject == "service:scheduling"
        assert not principal.sees_all_patients

    def test_a_service_role_with_a_staff_subject_is_no_identity(self):
        settings = Settings.from_env("kit-tests", {})
        for subject in (DEV_SUBJECTS["coordinator"], "service:scheduling", "janitor"):
            with pytest.raises(InvalidToken):
                TokenVerifier(settings).verify(issue_token(settings, ["service"], subject=subject))

    def test_the_service_role_cannot_be_mixed_with_staff_roles(self):
        settings = Settings.from_env("kit-tests", {})
        with pytest.raises(InvalidToken):
            TokenVerifier(settings).verify(issue_token(settings, ["service", "admin"], subject="scheduling"))

    def test_staff_tokens_are_no_service(self):
        settings = Settings.from_env("kit-tests", {})
        principal = TokenVerifier(settings).verify(issue_token(settings, ["coordinator"]))
        assert principal.service is None and principal.sees_all_patients


def test_claim_names_follow_the_identity_provider():
    """A Keycloak access token (shape of a real one, values made up): roles in
    `realm_access.roles`, the practitioner id in a mapped attribute, and a
    client-credentials token naming its client in `azp`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    settings = Settings.from_env("kit-tests", {
        "JWT_ALGORITHMS": "RS256", "JWT_PUBLIC_KEY": public, "JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE,
        "JWT_ROLES_CLAIM": "realm_access.roles", "JWT_SUBJECT_CLAIM": "practitioner_id",
        "JWT_SERVICE_CLAIM": "azp"})
    verifier = TokenVerifier(settings)
    nurse = _claims(sub="5f0c8c1e-4a53-4d39-9d5c-0b7d2b9f1e11", typ="Bearer", azp="carebridge-console",
                    practitioner_id="0b9f6d1e-7f43-4c55-a3a3-6d4f2f9d8a01", preferred_username="n.okafor",
                    realm_access={"roles": ["default-roles-carebridge", "offline_access", "nurse"]}, scope="profile")
    del nurse["roles"]
    principal = verifier.verify(jwt.encode(nurse, _pem(key), algorithm="RS256"))
    assert principal.subject == "0b9f6d1e-7f43-4c55-a3a3-6d4f2f9d8a01" and principal.roles == {"nurse"}
    scheduling = _claims(sub="9a1d2b3c-0000-4000-8000-5e41ce0acc01", azp="scheduling", clientId="scheduling",
                         realm_access={"roles": ["default-roles-carebridge", "service"]})
    del scheduling["roles"]
    assert verifier.verify(jwt.encode(scheduling, _pem(key), algorithm="RS256")).service == "scheduling"
    # A staff token without the mapped subject claim is refused, not let in as someone else.
    del nurse["practitioner_id"]
    with pytest.raises(InvalidToken):
        verifier.verify(jwt.encode(nurse, _pem(key), algorithm="RS256"))


def test_a_namespaced_url_claim_is_read_whole():
    """Auth0 puts custom claims under a URL, dots included."""
    settings = Settings.from_env("kit-tests", {"JWT_ROLES_CLAIM": "https://carebridge.example.org/roles",
                                               "JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE})
    claims = _claims(**{"https://carebridge.example.org/roles": ["physician"]})
    del claims["roles"]
    principal = TokenVerifier(settings).verify(jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256"))
    assert principal.roles == {"physician"}


# -- JWKS: keys cached, rotated by kid, refreshed on an unknown kid -------------------

class KeySet:
    """An identity provider's signing keys and its JWKS endpoint."""

    def __init__(self):
        self.keys: dict[str, tuple[str, object]] = {}   # kid -> (algorithm, private key)
        self.published: list[str] = []
        self.server = _HttpServer(self._jwks)

    def add(self, kid: str, algorithm: str) -> None:
        key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) if algorithm == "RS256"
               else ec.generate_private_key(ec.SECP256R1()))
        self.keys[kid] = (algorithm, key)

    def _jwks(self, _request):
        published = []
        for kid in self.published:
            algorithm, key = self.keys[kid]
            to_jwk = jwt.algorithms.RSAAlgorithm if algorithm == "RS256" else jwt.algorithms.ECAlgorithm
            jwk = json.loads(to_jwk.to_jwk(key.public_key()))
            published.append({**jwk, "kid": kid, "use": "sig", "alg": algorithm})
        return Response(json.dumps({"keys": published}), content_type="application/json")

    def sign(self, kid: str, **claims) -> str:
        algorithm, key = self.keys[kid]
        return jwt.encode(_claims(**claims), _pem(key), algorithm=algorithm, headers={"kid": kid})

    @property
    def fetches(self) -> int:
        return len(self.server.requests)


@pytest.fixture
def idp():
    keys = KeySet()
    yield keys
    keys.server.close()


def _jwks_settings(idp, **extra) -> Settings:
    return Settings.from_env("kit-tests", {"JWT_ALGORITHMS": "RS256,ES256", "JWT_JWKS_URL": idp.server.url + "/certs",
                                           "JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE, **extra})


class TestJwks:
    def test_rs256_and_es256_tokens_verify_against_the_jwks_served_over_http(self, idp):
        idp.add("rsa-1", "RS256")
        idp.add("ec-1", "ES256")
        idp.published = ["rsa-1", "ec-1"]
        verifier = TokenVerifier(_jwks_settings(idp))
        assert verifier.verify(idp.sign("rsa-1", sub="a")).subject == "a"
        assert verifier.verify(idp.sign("ec-1", sub="b")).subject == "b"
        assert idp.fetches == 1  # the key set is cached

    def test_keys_rotate_by_kid_and_an_unknown_kid_refreshes_the_set(self, idp):
        idp.add("2026-01", "RS256")
        idp.add("2026-02", "RS256")
        idp.published = ["2026-01"]
        verifier = TokenVerifier(_jwks_settings(idp, JWT_JWKS_REFRESH_COOLDOWN_SECONDS="0"))
        assert verifier.verify(idp.sign("2026-01", sub="old")).subject == "old"
        # The provider rotates: the new key is published, then the old one withdrawn.
        idp.published = ["2026-01", "2026-02"]
        assert verifier.verify(idp.sign("2026-02", sub="new")).subject == "new"
        assert idp.fetches == 2
        idp.published = ["2026-02"]
        assert verifier.verify(idp.sign("2026-02", sub="new-2")).subject == "new-2"
        assert idp.fetches == 2  # a known kid needs no fetch
        # A token signed with a key nobody publishes refreshes once more and is refused.
        idp.add("stolen", "RS256")
        with pytest.raises(InvalidToken):
            verifier.verify(idp.sign("stolen", sub="x"))
        assert idp.fetches == 3

    def test_unknown_kids_cannot_make_the_service_hammer_the_provider(self, idp):
        idp.add("k1", "RS256")
        idp.add("forged", "RS256")
        idp.published = ["k1"]
        verifier = TokenVerifier(_jwks_settings(idp))  # default cooldown
        assert verifier.verify(idp.sign("k1")).subject == "p-1"
        for number in range(5):
            with pytest.raises(InvalidToken):
                verifier.verify(idp.sign("forged", sub=f"x{number}"))
        assert idp.fetches == 1

    def test_a_provider_that_does_not_answer_is_a_refused_token(self, idp):
        idp.add("k1", "RS256")
        idp.published = ["k1"]
        token = idp.sign("k1")
        idp.server.close()
        with pytest.raises(InvalidToken):
            TokenVerifier(_jwks_settings(idp)).verify(token)


# -- service-to-service tokens by client credentials -------------------------------

class TokenEndpoint:
    """An identity provider's OAuth 2.0 token endpoint (client credentials,
    client_secret_post) that signs with a key of `keys`."""

    def __init__(self, keys: KeySet, clients: dict[str, str], expires_in: int = 300):
        self.keys, self.clients, self.expires_in = keys, clients, expires_in
        self.server = _HttpServer(self._token)

    def _token(self, request):
        form = parse_qs(request.get_data(as_text=True))
        field = {name: values[0] for name, values in form.items()}
        if request.method != "POST" or field.get("grant_type") != "client_credentials":
            return Response('{"error": "unsupported_grant_type"}', status=400, content_type="application/json")
        client_id = field.get("client_id")
        if client_id not in self.clients or not secrets.compare_digest(self.clients[client_id],
                                                                       field.get("client_secret", "")):
            return Response('{"error": "invalid_client"}', status=401, content_type="application/json")
        token = self.keys.sign("idp-1", sub=f"service-account-{client_id}", azp=client_id, roles=["service"],
                               lifetime=self.expires_in, jti=secrets.token_hex(8))
        return Response(json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in}),
                        content_type="application/json")

    @property
    def issued(self) -> int:
        return len(self.server.requests)


@pytest.fixture
def token_endpoint(idp):
    idp.add("idp-1", "RS256")
    idp.published = ["idp-1"]
    endpoint = TokenEndpoint(idp, {"scheduling": "s3cret-of-scheduling-" + secrets.token_hex(8)})
    yield endpoint
    endpoint.server.close()


class FakeTimer:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TestClientCredentials:
    def settings(self, token_endpoint, patients_url="http://127.0.0.1:9", **extra) -> Settings:
        return Settings.from_env("scheduling", {
            "SERVICE_TOKEN_URL": token_endpoint.server.url + "/protocol/openid-connect/token",
            "SERVICE_CLIENT_SECRET": token_endpoint.clients["scheduling"], "PATIENTS_URL": patients_url, **extra})

    def test_a_token_from_the_identity_provider_is_what_the_callee_verifies(self, idp, token_endpoint):
        from carebridge.http_client import ServiceClient
        seen = []

        def patients(request):
            seen.append(request.headers.get("Authorization", ""))
            return Response("{}", content_type="application/json")

        callee = _HttpServer(patients)
        try:
            client = ServiceClient(self.settings(token_endpoint, callee.url), "patients")
            assert client.get("/patients/1").status_code == 200
            assert client.get("/patients/2").status_code == 200
        finally:
            callee.close()
        assert token_endpoint.issued == 1
        verifier = TokenVerifier(_jwks_settings(idp, JWT_SERVICE_CLAIM="azp"))
        principal = verifier.verify(seen[0].removeprefix("Bearer "))
        assert principal.service == "scheduling" and seen[0] == seen[1]

    def test_the_token_is_refreshed_before_it_expires(self, token_endpoint):
        from carebridge.http_client import ClientCredentials
        timer = FakeTimer()
        credentials = ClientCredentials(self.settings(token_endpoint), timer=timer)
        first = credentials.token()
        timer.now += 200
        assert credentials.token() == first and token_endpoint.issued == 1
        timer.now += 60  # 40 s before expiry: inside the refresh margin
        second = credentials.token()
        assert token_endpoint.issued == 2 and second != first

    def test_a_refused_secret_is_a_dependency_error_and_no_token(self, token_endpoint):
        from carebridge.http_client import ClientCredentials
        credentials = ClientCredentials(self.settings(token_endpoint, SERVICE_CLIENT_SECRET="wrong-secret"))
        with pytest.raises(DependencyUnavailable):
            credentials.token()

    def test_production_never_mints_its_own_service_token(self):
        from carebridge.http_client import ClientCredentials
        settings = Settings.from_env("scheduling", {**PRODUCTION, "JWT_ALGORITHMS": "RS256",
                                                    "JWT_JWKS_URL": "https://idp.example.org/certs"})
        with pytest.raises(ConfigurationError, match="SERVICE_TOKEN_URL"):
            ClientCredentials(settings)

    def test_development_mints_a_short_lived_service_token(self):
        from carebridge.http_client import ClientCredentials
        settings = Settings.from_env("scheduling", {})
        principal = TokenVerifier(settings).verify(ClientCredentials(settings).token())
        assert principal.service == "scheduling" and principal.roles == {"service"}
