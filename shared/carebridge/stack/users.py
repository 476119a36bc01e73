"""Staff apps' view of the stack: the Python client (`carebridge_client`),
as one user. `Client` is the client's raw layer (plain HTTP with the user's
token, the client's timeout and X-Request-ID) for the tests that look at
statuses and headers; `.typed` is the same user's `CareBridge` with a
namespace per service. Either way every test that drives the stack drives
the client."""
from __future__ import annotations

import requests

from carebridge.auth import issue_token
from carebridge.config import Settings
from carebridge_client import CareBridge, StaticToken

_SETTINGS = Settings.from_env("whole-stack-tests", {})


def token(role: str, subject=None, **kwargs) -> str:
    return issue_token(_SETTINGS, [role], subject=str(subject) if subject else None, **kwargs)


class Client:
    """Calls one service as one user."""

    def __init__(self, base_url: str, role: str = "coordinator", subject=None, service: str = "service"):
        self.base_url = base_url.rstrip("/")
        self.role = role
        self.subject = str(subject) if subject else None
        self.service = service
        bearer = token(role, self.subject)
        self.typed = CareBridge({service: self.base_url}, StaticToken(bearer), timeout=15)
        self.session = self.typed.session
        self.session.headers["Authorization"] = f"Bearer {bearer}"
        self._raw = self.typed.raw(service)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self._raw.request(method, path, **kwargs)

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
