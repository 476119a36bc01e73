"""The secure message page (`GET /messages/<link>`, and `POST` to answer).

HTML for a phone as much as a desk, in the reader's language. Whatever goes
wrong with a link (changed, expired, too many tries, a message they may no
longer see) gets a plain page that says what to do, never an error trace;
the status code says it too (404, 410, 429). Nothing is cached, framed or
passed on as a referrer: the address itself is the credential.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request

from carebridge.web.current import current_runtime
from carebridge.web.session import request_session

from ..domain.letters import letter_language
from ..domain.secure_links import BadLink, ExpiredLink
from ..service_layer.message_page import (AlreadyAnswered, NoLongerAvailable, answer_appointment, answer_check_in,
                                          open_message, within_limits)
from .words import WORDS

PREFIX = "/messages"
blueprint = Blueprint("message_page", __name__, url_prefix=PREFIX, template_folder="../templates/pages")

_HEADERS = {
    "Cache-Control": "no-store", "Pragma": "no-cache", "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
}


def _language() -> str:
    return letter_language(request.accept_languages.best_match(["en", "es"]) or "en")


def _page(template: str, status: int = 200, *, language: str | None = None, **values):
    language = language or _language()
    body = render_template(template, words=WORDS[language], language=language, **values)
    return body, status, {**_HEADERS, "Content-Type": "text/html; charset=utf-8"}


def _trouble(kind: str, status: int):
    return _page("trouble.html", status, kind=kind)


def _config():
    return current_runtime().service_settings


def _limited(token: str) -> bool:
    """Count the visit in a transaction of its own (it stays counted whatever
    the page answers); True when over the limit."""
    with current_runtime().db.transaction() as session:
        return not within_limits(session, _config(), token, request.remote_addr)


@blueprint.get("/<token>")
def show(token: str):
    if len(token) > 200:
        return _trouble("bad", 404)
    if _limited(token):
        return _trouble("limited", 429)
    try:
        shown = open_message(request_session(), _config(), token)
    except BadLink:
        return _trouble("bad", 404)
    except ExpiredLink:
        return _trouble("expired", 410)
    except NoLongerAvailable:
        return _trouble("gone", 410)
    return _page("message.html", language=shown.letter.language, shown=shown, token=token,
                 done=request.args.get("done") == "1")


@blueprint.post("/<token>")
def answer(token: str):
    if len(token) > 200:
        return _trouble("bad", 404)
    if _limited(token):
        return _trouble("limited", 429)
    choice = request.form.get("answer", "")
    feeling = request.form.get("feeling", "")
    if choice not in ("confirm", "cancel", "reschedule", "check-in") or (
            choice == "check-in" and feeling not in ("better", "same", "worse")):
        return _trouble("bad", 400)
    session = request_session()
    try:
        if choice == "check-in":
            answer_check_in(session, _config(), token, feeling, request.form.get("comment"))
        else:
            answer_appointment(session, _config(), token, choice)
    except BadLink:
        return _trouble("bad", 404)
    except ExpiredLink:
        return _trouble("expired", 410)
    except NoLongerAvailable:
        return _trouble("gone", 410)
    except AlreadyAnswered:
        pass
    shown = open_message(session, _config(), token)
    return _page("message.html", language=shown.letter.language, shown=shown, token=token, done=True)
