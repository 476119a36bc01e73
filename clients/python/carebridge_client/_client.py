"""The `CareBridge` client: one object, a namespace per service."""
from __future__ import annotations

import random
import threading
import time
import uuid
from collections import OrderedDict
from typing import Any

import requests

from ._generated import DEVELOPMENT_PORTS, NAMESPACES
from ._models import UNSET, Model, Paged, _parse, _plain, to_json
from .auth import DevelopmentToken, TokenProvider
from .errors import CareBridgeError, Conflict, error_for
from .fhir import Fhir

RETRIED_STATUSES = (503,)
_KNOWN_VERSIONS = 4096  # the ETags remembered (the most recently read resources)


def development_urls(host: str = "127.0.0.1") -> dict[str, str]:
    """The base URLs of `make run` (`carebridge dev`) on this machine."""
    return {name: f"http://{host}:{port}" for name, port in DEVELOPMENT_PORTS.items()}


class CareBridge:
    """The CareBridge APIs as one object: `cb.patients`, `cb.careplans`,
    `cb.scheduling`, `cb.billing`, `cb.notifications` (one namespace per
    service in the OpenAPI documents the client was generated from), and
    `cb.fhir`: every service's FHIR R4 interface and a patient's whole
    record as a FHIR Bundle (`cb.fhir.export_patient(patient_id)`).

    base_urls: service name -> base URL (default: `make run` on this machine).
    token_provider: StaticToken, ClientCredentials or DevelopmentToken
        (default: a development coordinator's token).
    timeout: seconds for each HTTP call (connect and read).
    retries: further attempts after a connection error or a 503, with
        exponential backoff from `backoff` seconds. A POST keeps its
        Idempotency-Key on every attempt, so a retried booking is booked once.
    """

    def __init__(self, base_urls: dict[str, str] | None = None, token_provider: TokenProvider | None = None, *,
                 timeout: float = 15.0, retries: int = 3, backoff: float = 0.2,
                 session: requests.Session | None = None):
        self.base_urls = {name: url.rstrip("/") for name, url in (base_urls or development_urls()).items()}
        self.token_provider = token_provider or DevelopmentToken("coordinator")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.session = session or requests.Session()
        self._versions: OrderedDict[str, tuple[str, str, str, Any, Any]] = OrderedDict()
        self._lock = threading.Lock()
        for name, namespace in NAMESPACES.items():
            setattr(self, name.replace("-", "_"), namespace(self))
        # Hand-written: every service's /fhir/R4 and the whole-record export.
        self.fhir = Fhir(self)

    def as_user(self, token_provider: TokenProvider) -> "CareBridge":
        """The same stack as another user (its own token, its own connections)."""
        return CareBridge(self.base_urls, token_provider, timeout=self.timeout, retries=self.retries,
                          backoff=self.backoff)

    def raw(self, service: str) -> "RawService":
        """Plain HTTP calls to one service with this client's token, timeout and
        X-Request-ID, answering `requests.Response`s as they came (no retries,
        no exceptions): for what the typed methods do not cover, and tests."""
        return RawService(self, service)

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- plumbing of the generated methods --------------------------------------

    def base_url(self, service: str) -> str:
        try:
            return self.base_urls[service]
        except KeyError:
            raise CareBridgeError(f"no base URL for the {service} service; give it in base_urls") from None

    def _headers(self, request_id: str | None) -> dict:
        return {"Authorization": f"Bearer {self.token_provider.token(self)}",
                "X-Request-ID": request_id or str(uuid.uuid4()), "Accept": "application/json"}

    def _send(self, service: str, method: str, path: str, *, params=None, json=None, headers=None,
              retry: bool = True, request_id: str | None = None) -> requests.Response:
        url = self.base_url(service) + path
        request_id = request_id or str(uuid.uuid4())
        attempts = 1 + (self.retries if retry else 0)
        refreshed = False
        attempt = 0
        while True:
            sent = {**self._headers(request_id), **(headers or {})}
            try:
                response = self.session.request(method, url, params=params, json=json, headers=sent,
                                                timeout=self.timeout)
            except requests.ConnectionError:
                attempt += 1
                if attempt >= attempts:
                    raise
                self._pause(attempt, None)
                continue
            if response.status_code == 401 and not refreshed and self.token_provider.invalidate():
                refreshed = True
                continue
            if response.status_code in RETRIED_STATUSES and retry:
                attempt += 1
                if attempt < attempts:
                    self._pause(attempt, response.headers.get("Retry-After"))
                    continue
            return response

    def _pause(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * (2 ** (attempt - 1))
        if retry_after and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), 5.0))
        time.sleep(delay * (1 + random.random() / 2))

    def _raise_for(self, response: requests.Response, method: str, url: str):
        try:
            problem = response.json()
            if not isinstance(problem, dict):
                problem = {"detail": str(problem)}
        except ValueError:
            problem = {"title": response.reason or "", "detail": response.text[:500]}
        return error_for(response.status_code, problem, response.headers.get("X-Request-ID"), method, url)

    def _remember(self, service: str, path: str, value, etag: str | None, result, module) -> None:
        identifier = getattr(value, "id", None)
        if not etag or identifier is None:
            return
        identifier = str(identifier)
        segments = path.split("/")
        read_path = "/".join(segments[:segments.index(identifier) + 1]) if identifier in segments \
            else f"{path.rstrip('/')}/{identifier}"
        with self._lock:
            self._versions[identifier] = (etag, service, read_path, result, module)
            self._versions.move_to_end(identifier)
            while len(self._versions) > _KNOWN_VERSIONS:
                self._versions.popitem(last=False)

    def _version_of(self, values: list) -> tuple[str, str, str, Any, Any] | None:
        with self._lock:
            for value in reversed(values):
                known = self._versions.get(str(getattr(value, "id", value)))
                if known:
                    return known
        for value in reversed(values):
            if isinstance(value, Model) and value.etag:
                return (value.etag, None, None, None, None)
        return None

    def _prepare(self, path: str, path_values: dict, query: dict, body) -> tuple[str, dict, Any]:
        for name, value in path_values.items():
            path = path.replace("{" + name + "}", str(getattr(value, "id", value)))
        params = {key: to_json(value) for key, value in query.items() if value is not UNSET and value is not None}
        if isinstance(body, dict):
            body = {key: to_json(value) for key, value in body.items() if value is not UNSET}
        elif body is not None:
            body = to_json(body)
        return path, params, body

    def _call(self, *, service: str, method: str, path: str, path_values: dict, query: dict, result, module,
              body=None, if_match: bool = False, request_id: str | None = None):
        path, params, body = self._prepare(path, path_values, query, body)
        headers = {}
        version = None
        if if_match:
            version = self._version_of(list(path_values.values()))
            if version:
                headers["If-Match"] = version[0]
        if method == "POST":
            # One key for the call and every retry of it.
            headers["Idempotency-Key"] = str(uuid.uuid4())
        response = self._send(service, method, path, params=params, json=body, headers=headers,
                              request_id=request_id)
        if response.status_code >= 400:
            error = self._raise_for(response, method, response.url)
            if response.status_code == 412 and isinstance(error, Conflict) and version and version[2]:
                error.current = self._reread(version, request_id)
            raise error
        return self._result(service, path, response, result, module)

    def _reread(self, version, request_id):
        _, service, read_path, result, module = version
        response = self._send(service, "GET", read_path, request_id=request_id)
        if response.status_code != 200:
            return None
        return self._result(service, read_path, response, result, module)

    def _result(self, service, path, response, result, module):
        if result == "none" or response.status_code == 204:
            return None
        if result == "text":
            return response.text
        value = _parse(result, response.json(), module)
        if isinstance(value, Model):
            object.__setattr__(value, "_request_id", response.headers.get("X-Request-ID"))
            etag = response.headers.get("ETag")
            object.__setattr__(value, "_etag", etag)
            self._remember(service, path, value, etag, result, module)
        return value

    def _paged(self, *, service: str, method: str, path: str, path_values: dict, query: dict, result, module,
               request_id: str | None = None, **_):
        path, params, _ = self._prepare(path, path_values, query, None)
        params.setdefault("page_size", 100)

        def fetch(page: int):
            response = self._send(service, method, path, params={**params, "page": page}, request_id=request_id)
            if response.status_code >= 400:
                raise self._raise_for(response, method, response.url)
            body = response.json()
            return body["items"], body["total"], response.headers.get("X-Request-ID")

        def parse(item, page_request: str):
            value = _parse(result, item, module)
            if isinstance(value, Model):
                object.__setattr__(value, "_request_id", page_request)
            return value

        return Paged(fetch, parse, lambda item: _plain(result, item, module))


class RawService:
    """One service over plain HTTP, as this client's user (see CareBridge.raw)."""

    def __init__(self, client: CareBridge, service: str):
        self.client = client
        self.service = service
        self.base_url = client.base_url(service)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", self.client.timeout)
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("X-Request-ID", str(uuid.uuid4()))
        headers.setdefault("Authorization", f"Bearer {self.client.token_provider.token(self.client)}")
        return self.client.session.request(method, self.base_url + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)
