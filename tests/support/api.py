"""Staff apps' view of the stack: HTTP calls with a bearer token."""
from __future__ import annotations

import uuid

import requests

from carebridge.auth import issue_token
from carebridge.config import Settings

_SETTINGS = Settings.from_env("whole-stack-tests", {})


def token(role: str, subject=None, **kwargs) -> str:
    return issue_token(_SETTINGS, [role], subject=str(subject) if subject else None, **kwargs)


class Client:
    """Calls one service as one user."""

    def __init__(self, base_url: str, role: str = "coordinator", subject=None):
        self.base_url = base_url.rstrip("/")
        self.role = role
        self.subject = str(subject) if subject else None
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token(role, self.subject)}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 15)
        headers = kwargs.pop("headers", {})
        headers.setdefault("X-Request-ID", f"test-{uuid.uuid4()}")
        return self.session.request(method, self.base_url + path, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def ok(response: requests.Response, *statuses: int) -> dict:
    """The JSON body, after checking the status (200/201 by default)."""
    expected = statuses or (200, 201)
    assert response.status_code in expected, (
        f"{response.request.method} {response.request.url} -> {response.status_code}: {response.text[:800]}")
    return response.json() if response.content else {}
