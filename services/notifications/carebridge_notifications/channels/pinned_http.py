"""HTTP calls to an address checked beforehand, not to whatever the host
name resolves to when the connection is made (DNS rebinding: a name can
answer a public address to the check and 127.0.0.1 or 169.254.169.254 to
the connection a moment later).

The URL is rewritten to the checked address, so urllib3 connects to it
without resolving the name again; the request still says who it is for:
the `Host` header is the original one and, over https, the TLS handshake
sends the original name (SNI) and the certificate must be valid for that
name (urllib3's `server_hostname` pool setting, which hostname
verification also uses). Redirects are never followed.
"""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter


class PinnedHostAdapter(HTTPAdapter):
    """Every connection pool (direct or through a proxy) presents
    `host_name` in TLS, whatever address the URL names."""

    def __init__(self, host_name: str, **kwargs):
        self.host_name = host_name
        super().__init__(**kwargs)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        # urllib3 drops server_hostname for plain-http pools (SSL_KEYWORDS).
        super().init_poolmanager(connections, maxsize, block, server_hostname=self.host_name, **pool_kwargs)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.connection_pool_kw["server_hostname"] = self.host_name
        return manager


def pinned_url(url: str, address: str) -> str:
    """`url` with its host replaced by `address` (user info, port, path and
    query kept; the fragment is never sent anyway)."""
    parts = urlsplit(url)
    host = f"[{address.replace('%', '%25')}]" if ":" in address else address
    user_info = parts.netloc.rpartition("@")[0]
    netloc = (f"{user_info}@" if user_info else "") + host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def post_pinned(url: str, address: str, *, data: bytes, headers: dict, timeout: float) -> requests.Response:
    """POSTs to `url` over a connection to `address` (one session per call:
    no connection made for another address is ever reused)."""
    parts = urlsplit(url)
    host_name = parts.hostname or ""
    headers = {**headers, "Host": parts.netloc.rpartition("@")[2]}
    with requests.Session() as session:
        adapter = PinnedHostAdapter(host_name)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session.post(pinned_url(url, address), data=data, headers=headers, timeout=timeout,
                            allow_redirects=False)
