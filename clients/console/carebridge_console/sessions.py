"""Server-side sessions: the browser holds only a random session id in an
HttpOnly, SameSite=Lax cookie (Secure outside development); the tokens and
everything else stay in the console's memory.

One console process serves many threads; in Kubernetes a person's requests
go back to the same pod (the Service's session affinity), and a pod that
restarts signs everyone on it out, which is the safe failure.
"""
from __future__ import annotations

import secrets
import threading
import time

from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

COOKIE_NAME = "cb_console"


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, sid: str, initial=None, new: bool = False):
        def on_update(_):
            self.modified = True
        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.new = new
        self.modified = False


class MemorySessionStore:
    """Sessions by id, each forgotten after `idle_seconds` without use."""

    def __init__(self, idle_seconds: float):
        self.idle_seconds = idle_seconds
        self._items: dict[str, tuple[float, dict]] = {}
        self._lock = threading.Lock()

    def get(self, sid: str) -> dict | None:
        now = time.monotonic()
        with self._lock:
            found = self._items.get(sid)
            if found is None:
                return None
            if now - found[0] > self.idle_seconds:
                del self._items[sid]
                return None
            self._items[sid] = (now, found[1])
            return dict(found[1])

    def put(self, sid: str, data: dict) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._items) > 10_000:   # drop the idle ones now and then
                self._items = {k: v for k, v in self._items.items() if now - v[0] <= self.idle_seconds}
            self._items[sid] = (now, dict(data))

    def delete(self, sid: str) -> None:
        with self._lock:
            self._items.pop(sid, None)


class ServerSessionInterface(SessionInterface):
    def __init__(self, store: MemorySessionStore):
        self.store = store

    def open_session(self, app, request):
        sid = request.cookies.get(COOKIE_NAME)
        if sid:
            data = self.store.get(sid)
            if data is not None:
                return ServerSession(sid, data)
        return ServerSession(secrets.token_urlsafe(32), new=True)

    def save_session(self, app, session: ServerSession, response):
        settings = app.config["CONSOLE"]
        if session.get("_ended"):
            self.store.delete(session.sid)
            response.delete_cookie(COOKIE_NAME, path="/", secure=settings.cookie_secure, httponly=True,
                                   samesite="Lax")
            return
        if not session and session.new:
            return
        if session.modified or session.new:
            self.store.put(session.sid, dict(session))
        if session.new:
            response.set_cookie(COOKIE_NAME, session.sid, httponly=True, secure=settings.cookie_secure,
                                samesite="Lax", path="/")
        response.vary.add("Cookie")

    @staticmethod
    def end(session: ServerSession) -> None:
        """Sign out: the stored session goes, and the cookie with it."""
        session.clear()
        session["_ended"] = True

    def renew(self, session: ServerSession) -> None:
        """A fresh id at sign-in, so an id planted before it is worth nothing."""
        self.store.delete(session.sid)
        session.sid = secrets.token_urlsafe(32)
        session.new = True
        session.modified = True
