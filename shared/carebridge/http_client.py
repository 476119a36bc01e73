"""Calling another service's API.

    patients = Runtime.of(session).client("patients")
    response = patients.get(f"/patients/{patient_id}")

Every call has connect and read timeouts, retries with backoff on idempotent
methods only (a POST is never sent twice by this client), presents this
service's token and passes the current correlation id on as X-Request-ID.
"""
from __future__ import annotations

import threading
import time

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from . import context
from .auth import service_token
from .config import Settings
from .errors import DependencyUnavailable

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
TOKEN_REFRESH_SECONDS = 30 * 60


class ServiceClient:
    def __init__(self, settings: Settings, target: str, session: requests.Session | None = None):
        self.settings = settings
        self.target = target
        self.base_url = settings.url_of(target).rstrip("/")
        self.timeout = (settings.http_connect_timeout, settings.http_read_timeout)
        self.session = session or requests.Session()
        retry = Retry(total=settings.http_retries, connect=settings.http_retries, read=settings.http_retries,
                      status=settings.http_retries, backoff_factor=0.2,
                      status_forcelist=(502, 503, 504), allowed_methods=IDEMPOTENT_METHODS,
                      raise_on_status=False, respect_retry_after_header=True)
        adapter = HTTPAdapter(max_retries=retry, pool_maxsize=20)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._token = None
        self._token_at = 0.0
        self._lock = threading.Lock()

    def _bearer(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() - self._token_at > TOKEN_REFRESH_SECONDS:
                self._token = service_token(self.settings)
                self._token_at = time.monotonic()
            return self._token

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("Authorization", f"Bearer {self._bearer()}")
        headers.setdefault("X-Request-ID", context.current_correlation_id())
        try:
            return self.session.request(method, self.base_url + path, headers=headers,
                                        timeout=kwargs.pop("timeout", self.timeout), **kwargs)
        except requests.RequestException as error:
            raise DependencyUnavailable(f"the {self.target} service did not answer ({type(error).__name__})") from None

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def close(self) -> None:
        self.session.close()
