"""Signing in and out, the session cookie, CSRF and the Content-Security-Policy."""
import re

import requests

from carebridge_console.settings import ConfigurationError, ConsoleSettings


def test_signing_in_as_a_colleague_from_the_directory_and_out_again(page, world, signed_in, stack):
    coordinator = world.practitioner("coordinator", "Ana")
    signed_in(page, coordinator)
    assert page.get_by_text(f"{coordinator.name} (coordinator)").is_visible()
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["cb_console"]
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    # The cookie is an opaque id: no token in the browser.
    assert "." not in session["value"] and len(session["value"]) >= 40
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    assert page.get_by_text("You are signed out.").is_visible()
    # The old session id is worth nothing now.
    answer = requests.get(stack.url + "/", cookies={"cb_console": session["value"]}, allow_redirects=False)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/sign-in")
    assert not page.problems, page.problems


def test_every_page_has_a_policy_without_inline_script_and_no_inline_script_runs(page, stack):
    answer = requests.get(stack.url + "/sign-in")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", answer.text), "an inline script"
    page.goto("/sign-in")
    assert not page.problems, page.problems   # htmx and console.js load under the policy


def test_a_form_without_its_csrf_token_is_refused(stack, world):
    coordinator = world.practitioner("coordinator", "Bea")
    http = requests.Session()
    http.get(stack.url + "/sign-in")
    refused = http.post(stack.url + "/sign-in/development", data={"practitioner_id": coordinator.id},
                        allow_redirects=False)
    assert refused.status_code == 400 and "This form has expired" in refused.text
    token = re.search(r'name="csrf-token" content="([^"]+)"', http.get(stack.url + "/sign-in").text).group(1)
    accepted = http.post(stack.url + "/sign-in/development", data={"practitioner_id": coordinator.id,
                                                                    "csrf_token": token}, allow_redirects=False)
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/"


def test_pages_need_a_signed_in_person(stack):
    for path in ("/", "/patients", "/scheduling", "/costs"):
        answer = requests.get(stack.url + path, allow_redirects=False)
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/sign-in"), path


def test_production_has_no_development_sign_in_and_needs_oidc_and_secure_cookies():
    production = {"CAREBRIDGE_ENV": "production", "CONSOLE_SECRET_KEY": "x" * 32, "OIDC_ISSUER": "https://idp.example",
                  "OIDC_CLIENT_ID": "console"}
    settings = ConsoleSettings.from_env(production)
    assert settings.cookie_secure and not settings.development
    for missing in ("CONSOLE_SECRET_KEY", "OIDC_ISSUER"):
        try:
            ConsoleSettings.from_env({k: v for k, v in production.items() if k != missing})
        except ConfigurationError:
            pass
        else:
            raise AssertionError(f"production started without {missing}")
    try:
        ConsoleSettings.from_env({**production, "CONSOLE_COOKIE_SECURE": "false"})
    except ConfigurationError:
        pass
    else:
        raise AssertionError("production accepted a cookie sent over plain http")


def test_the_console_signs_no_development_token_outside_development(monkeypatch):
    from carebridge_console.app import create_app
    from carebridge_console import auth
    settings = ConsoleSettings.from_env({"CAREBRIDGE_ENV": "test", "CONSOLE_SECRET_KEY": "k"})
    app = create_app(settings)
    with app.test_request_context():
        try:
            auth.development_token("coordinator", "someone")
        except PermissionError:
            pass
        else:
            raise AssertionError("a development token was signed outside development")
    client = app.test_client()
    assert client.post("/sign-in/development", data={"practitioner_id": "x"}).status_code in (400, 404)
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Development sign-in" not in page
