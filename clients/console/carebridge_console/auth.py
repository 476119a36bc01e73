"""Signing in and out.

Development: /sign-in lists the staff directory and signs you in as one of
them with a development token the console signs itself (the stack's
development key, what `carebridge token` uses); refused unless both the
console and the kit run in development. Production: OpenID Connect
authorization code flow with PKCE against OIDC_ISSUER (Authlib); the tokens
stay in the server-side session, never in the browser.
"""
from __future__ import annotations

import functools
import logging
import time

from flask import abort, current_app, redirect, render_template, request, session, url_for

log = logging.getLogger(__name__)

DEV_TOKEN_SECONDS = 3600
# A token this close to its expiry is replaced before a call.
RENEW_BEFORE_SECONDS = 60


def _settings():
    return current_app.config["CONSOLE"]


def init_app(app) -> None:
    settings = app.config["CONSOLE"]
    if settings.oidc_issuer:
        from authlib.integrations.flask_client import OAuth
        oauth = OAuth(app)
        oauth.register(
            "idp", client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret,
            server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": settings.oidc_scope, "code_challenge_method": "S256"})
        app.extensions["console_oauth"] = oauth
    app.add_url_rule("/sign-in", "sign_in", sign_in, methods=["GET"])
    app.add_url_rule("/sign-in/development", "sign_in_development", sign_in_development, methods=["POST"])
    app.add_url_rule("/sign-in/oidc", "sign_in_oidc", sign_in_oidc, methods=["POST"])
    app.add_url_rule("/sign-in/callback", "sign_in_callback", sign_in_callback, methods=["GET"])
    app.add_url_rule("/sign-out", "sign_out", sign_out, methods=["POST"])


# --- development tokens ---------------------------------------------------

def development_token(role: str, subject: str | None, ttl_seconds: int = DEV_TOKEN_SECONDS) -> str:
    """A token the services accept in development, signed with the
    development key. Refused outside development."""
    import os

    from carebridge.auth import issue_token
    from carebridge.config import Settings
    if not _settings().development or (os.environ.get("CAREBRIDGE_ENV", "").strip() or "development") != "development":
        raise PermissionError("development tokens are signed in development only")
    return issue_token(Settings.from_env("console"), [role], subject=subject, ttl_seconds=ttl_seconds)


def _directory_token() -> str:
    """An administrator's development token, to list the directory on the
    development sign-in page."""
    return development_token("admin", "console-sign-in", ttl_seconds=300)


def sign_in():
    if current_user():
        return redirect(url_for("day.my_day"))
    settings = _settings()
    staff = []
    if settings.development:
        query = request.args.get("q", "").strip()
        staff = current_app.extensions["carebridge_gateway"].as_token(_directory_token()).staff_directory(query)
    return render_template("sign_in.html", staff=staff, development=settings.development,
                           oidc=bool(settings.oidc_issuer), query=request.args.get("q", ""),
                           signed_out=request.args.get("signed_out") == "1")


def sign_in_development():
    if not _settings().development:
        abort(404)
    practitioner_id = request.form.get("practitioner_id", "")
    services = current_app.extensions["carebridge_gateway"]
    person = services.as_token(_directory_token()).practitioner(practitioner_id)
    token = development_token(person["role"], person["id"])
    _start(token, time.time() + DEV_TOKEN_SECONDS, {"kind": "development", "role": person["role"], "time_zone": person.get("time_zone")}, person)
    return redirect(_next_url())


def sign_in_oidc():
    oauth = current_app.extensions.get("console_oauth")
    if oauth is None:
        abort(404)
    session["next"] = request.form.get("next") or url_for("day.my_day")
    return oauth.idp.authorize_redirect(_external("sign_in_callback"))


def sign_in_callback():
    oauth = current_app.extensions.get("console_oauth")
    if oauth is None:
        abort(404)
    from authlib.integrations.base_client import OAuthError
    try:
        token = oauth.idp.authorize_access_token()
    except OAuthError as refused:
        # A callback this session did not start (forged, replayed, or from a
        # tab signed in meanwhile), or the identity provider said no.
        log.warning("sign-in callback refused: %s", refused.error)
        return render_template("error.html", title="Sign-in did not complete",
                               message="The sign-in could not be finished (it was started elsewhere, took too "
                                       "long, or was refused). Sign in again."), 400
    services = current_app.extensions["carebridge_gateway"]
    person = services.as_token(token["access_token"]).me()
    _start(token["access_token"], float(token.get("expires_at") or time.time() + 300),
           {"kind": "oidc", "refresh_token": token.get("refresh_token"), "id_token": token.get("id_token")}, person)
    return redirect(_next_url())


def sign_out():
    kind = session.get("login", {}).get("kind")
    id_token = session.get("login", {}).get("id_token")
    current_app.session_interface.end(session)
    oauth = current_app.extensions.get("console_oauth")
    if kind == "oidc" and oauth is not None:
        end = oauth.idp.load_server_metadata().get("end_session_endpoint")
        if end:
            from urllib.parse import urlencode
            return redirect(end + "?" + urlencode({"id_token_hint": id_token or "",
                                                    "post_logout_redirect_uri": _external("sign_in")}))
    # (The session, and with it any flashed message, is gone: the page says it.)
    return redirect(url_for("sign_in", signed_out=1))


def _external(endpoint: str) -> str:
    public = _settings().public_url
    return public + url_for(endpoint) if public else url_for(endpoint, _external=True)


def _next_url() -> str:
    target = session.pop("next", None) or request.form.get("next") or url_for("day.my_day")
    # Only a path of this console, never another site.
    return target if target.startswith("/") and not target.startswith("//") else url_for("day.my_day")


def _start(token: str, expires_at: float, login: dict, person: dict) -> None:
    following = session.get("next")
    session.clear()
    current_app.session_interface.renew(session)
    if following:
        session["next"] = following
    session["token"] = token
    session["expires_at"] = expires_at
    session["login"] = login
    session["user"] = {"id": person["id"], "name": f'{person["given_name"]} {person["family_name"]}',
                       "role": person["role"], "time_zone": person.get("time_zone")}


# --- the signed-in person -------------------------------------------------

def current_user() -> dict | None:
    return session.get("user") if session.get("token") else None


def access_token() -> str:
    """The signed-in person's token, renewed when it is about to expire."""
    if session.get("expires_at", 0) - RENEW_BEFORE_SECONDS > time.time():
        return session["token"]
    login = session.get("login", {})
    if login.get("kind") == "development":
        session["token"] = development_token(login["role"], session["user"]["id"])
        session["expires_at"] = time.time() + DEV_TOKEN_SECONDS
        return session["token"]
    oauth = current_app.extensions.get("console_oauth")
    if login.get("kind") == "oidc" and oauth is not None and login.get("refresh_token"):
        token = oauth.idp.fetch_access_token(grant_type="refresh_token", refresh_token=login["refresh_token"])
        session["token"] = token["access_token"]
        session["expires_at"] = float(token.get("expires_at") or time.time() + 300)
        session["login"] = {**login, "refresh_token": token.get("refresh_token") or login["refresh_token"]}
        return session["token"]
    raise SignInNeeded()


class SignInNeeded(Exception):
    """The session has no usable token any more."""


def signed_in(view):
    """Pages for the signed-in staff only; anyone else goes to sign in."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user():
            if request.headers.get("HX-Request"):
                return "", 401, {"HX-Redirect": url_for("sign_in")}
            session["next"] = request.full_path if request.method == "GET" else None
            return redirect(url_for("sign_in"))
        return view(*args, **kwargs)
    return wrapper
