"""Calling another service's API.

    patients = Runtime.of(session).client("patients")
    response = patients.get(f"/patients/{patient_id}")

Every call has connect and read timeouts, retries with backoff on idempotent
methods only (a POST is never sent twice by this client), presents this
service's own identity and passes the current correlation id on as
X-Request-ID.

The identity is a bearer token with the `service` role naming this service
(`carebridge.auth.tokens`): in production an OAuth 2.0 client-credentials
token from the identity provider's token endpoint (SERVICE_TOKEN_URL,
SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET), so no pod holds a key that signs
tokens; in development and tests, without a token URL, one the process
signs itself. Either is kept until shortly before it expires.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import jwt
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from . import context
from .auth import service_token
from .config import ConfigurationError, Settings
from .errors import DependencyUnavailable

log = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# A token is replaced this long before it expires (half its lifetime for a
# short one), so that no call leaves with a token about to run out.
REFRESH_MARGIN_SECONDS = 60
DEVELOPMENT_TOKEN_SECONDS = 300


class ClientCredentials:
    """The token this service presents to the others, fetched (or, in
    development, signed) when needed and refreshed before it expires."""

    def __init__(self, settings: Settings, session: requests.Session | None = None,
                 timer: Callable[[], float] = time.monotonic):
        if settings.is_production and not settings.service_token_url:
            raise ConfigurationError(f"the {settings.service} service calls other services: set SERVICE_TOKEN_URL, "
                                     "SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET (its identity provider client)")
        self.settings = settings
        self.session = session or requests.Session()
        self._timer = timer
        self._lock = threading.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0

    def token(self) -> str:
        with self._lock:
            if self._token is None or self._timer() >= self._refresh_at:
                started = self._timer()
                if self.settings.service_token_url:
                    token, lifetime = self._fetch()
                else:
                    token, lifetime = service_token(self.settings, DEVELOPMENT_TOKEN_SECONDS), DEVELOPMENT_TOKEN_SECONDS
                self._token = token
                self._refresh_at = started + lifetime - min(REFRESH_MARGIN_SECONDS, lifetime / 2)
            return self._token

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def _fetch(self) -> tuple[str, float]:
        settings = self.settings
        form = {"grant_type": "client_credentials", "client_id": settings.service_client_id or settings.service,
                "client_secret": settings.service_client_secret}
        if settings.service_token_audience:
            form["audience"] = settings.service_token_audience
        response = None
        try:
            response = self.session.post(settings.service_token_url, data=form,
                                         timeout=(settings.http_connect_timeout, settings.http_read_timeout))
            body = response.json() if response.status_code == 200 else None
            token = body["access_token"]
            if not isinstance(token, str):
                raise TypeError("access_token is not a string")
        except (requests.RequestException, ValueError, KeyError, TypeError) as error:
            log.warning("the identity provider gave no service token",
                        extra={"status": getattr(response, "status_code", None),
                               "error": type(error).__name__})
            raise DependencyUnavailable("the identity provider did not issue this service's token") from None
        lifetime = body.get("expires_in")
        if not isinstance(lifetime, (int, float)) or lifetime <= 0:
            # expires_in is only RECOMMENDED (RFC 6749 5.1): read the token's own.
            claims = jwt.decode(token, options={"verify_signature": False})
            lifetime = float(claims.get("exp", 0)) - time.time()
        return token, max(float(lifetime), 1.0)


class ServiceClient:
    def __init__(self, settings: Settings, target: str, session: requests.Session | None = None,
                 credentials: ClientCredentials | None = None):
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
        self.credentials = credentials or ClientCredentials(settings)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("X-Request-ID", context.current_correlation_id())
        timeout = kwargs.pop("timeout", self.timeout)
        response = self._send(method, path, headers, timeout, kwargs)
        if response.status_code == 401:
            # Refused before anything ran (a token revoked, a key rotated
            # out): safe to send once more, POST included, with a new token.
            self.credentials.invalidate()
            response = self._send(method, path, headers, timeout, kwargs)
        return response

    def _send(self, method, path, headers, timeout, kwargs) -> requests.Response:
        headers = {**headers, "Authorization": f"Bearer {self.credentials.token()}"}
        try:
            return self.session.request(method, self.base_url + path, headers=headers, timeout=timeout, **kwargs)
        except requests.RequestException as error:
            raise DependencyUnavailable(f"the {self.target} service did not answer ({type(error).__name__})") from None

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def close(self) -> None:
        self.session.close()
