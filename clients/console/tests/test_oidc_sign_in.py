"""Production sign-in: OpenID Connect authorization code flow with PKCE
against an issuer served in the test (fake_issuer.py). The console sends the
browser to the issuer with an S256 challenge, exchanges the code with its
client secret and the verifier, keeps the tokens server-side, and signing
out ends the session at the console and at the issuer."""
import base64
import hashlib
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from fake_issuer import FakeIssuer
from support import free_port

CLIENT_ID, CLIENT_SECRET = "carebridge-console", "console-client-secret-for-tests"


@pytest.fixture(scope="module")
def issuer():
    running = FakeIssuer(CLIENT_ID, CLIENT_SECRET).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def oidc_console(stack, issuer):
    """A second console, configured as outside development: no directory,
    no development tokens, sign-in through the issuer only."""
    from carebridge_console.app import create_app
    from carebridge_console.cli import ConsoleServer
    from carebridge_console.settings import ConsoleSettings
    settings = ConsoleSettings.from_env({**{f"{n.upper()}_URL": u for n, u in stack.urls.items()},
                                         "CAREBRIDGE_ENV": "test", "CONSOLE_SECRET_KEY": uuid.uuid4().hex,
                                         "OIDC_ISSUER": issuer.url, "OIDC_CLIENT_ID": CLIENT_ID,
                                         "OIDC_CLIENT_SECRET": CLIENT_SECRET})
    assert not settings.development
    server = ConsoleServer(create_app(settings), "127.0.0.1", free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def oidc_page(browser, oidc_console):
    context = browser.new_context(base_url=oidc_console.url)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    problems = []
    opened.on("pageerror", lambda e: problems.append(str(e)))
    opened.problems = problems
    yield opened
    context.close()


def test_sign_in_through_the_identity_provider_with_pkce_and_out_again(oidc_page, oidc_console, issuer, world):
    page = oidc_page
    coordinator = world.practitioner("coordinator", "Olga")
    issuer.person = coordinator
    page.goto("/sign-in")
    assert page.get_by_role("button", name="Sign in as").count() == 0, "no staff directory outside development"
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    page.get_by_role("heading", name="My day").wait_for()
    assert page.get_by_text(f"{coordinator.name} (coordinator)").is_visible()

    # The authorization request: a code, with an S256 challenge, a state and a nonce.
    [asked] = issuer.authorizations
    callback = f"{oidc_console.url}/sign-in/callback"
    assert asked["response_type"] == "code" and asked["client_id"] == CLIENT_ID
    assert asked["redirect_uri"] == callback and "openid" in asked["scope"].split()
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert asked["state"] and asked["nonce"]
    # The exchange: the client's secret, the same redirect URI, and the verifier of that challenge.
    [exchanged] = issuer.token_requests
    assert not issuer.refused, issuer.refused
    assert exchanged["grant_type"] == "authorization_code" and exchanged["redirect_uri"] == callback
    verifier = exchanged["code_verifier"]
    assert 43 <= len(verifier) <= 128
    assert base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode() \
        == asked["code_challenge"]
    assert "client_secret" not in exchanged, "the secret goes in the Authorization header, not the form"

    # Tokens stay on the server: the browser holds an opaque session id only.
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["cb_console"]
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    for value in (c["value"] for c in cookies.values()):
        assert value.count(".") < 2, "a JWT in a cookie"
    # Pages work with the issuer's access token (they call the services with it).
    page.goto("/patients")
    page.get_by_role("heading", name="Find a patient").wait_for()

    # Signing out ends the console's session and the issuer's, naming the ID token.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    [ended] = issuer.ended
    assert ended["id_token_hint"] == issuer.id_tokens[-1]
    assert ended["post_logout_redirect_uri"] == f"{oidc_console.url}/sign-in"
    answer = requests.get(oidc_console.url + "/", cookies={"cb_console": session["value"]}, allow_redirects=False)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/sign-in")
    assert not page.problems, page.problems


def test_a_callback_the_console_did_not_start_signs_no_one_in(oidc_page, oidc_console, issuer, world):
    """A code and state the console never asked for (a forged or replayed
    callback) is refused with a page that says so, and no one is signed in."""
    page = oidc_page
    page.goto("/sign-in")
    answer = page.goto("/sign-in/callback?code=forged&state=forged")
    assert answer.status == 400
    assert page.get_by_role("heading", name="Sign-in did not complete").is_visible()
    assert "Traceback" not in page.content()
    page.goto("/")
    page.get_by_role("heading", name="Sign in").wait_for()
    assert not [r for r in issuer.token_requests if r.get("code") == "forged"], "no exchange of a forged code"


def test_development_sign_in_is_refused_outside_development(oidc_console, world):
    coordinator = world.practitioner("coordinator", "Dora")
    http = requests.Session()
    http.get(oidc_console.url + "/sign-in")
    answer = http.post(oidc_console.url + "/sign-in/development", data={"practitioner_id": coordinator.id},
                       allow_redirects=False)
    assert answer.status_code in (400, 404)   # no CSRF token or no such route: either way no session
    assert http.get(oidc_console.url + "/", allow_redirects=False).headers["Location"].endswith("/sign-in")
