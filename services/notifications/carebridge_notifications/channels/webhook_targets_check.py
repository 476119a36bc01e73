"""Where a webhook may point: never into CareBridge's own network.

A subscription is refused, and each delivery is refused again (the name may
resolve elsewhere by then: DNS rebinding), when the URL's host is, or
resolves to, a loopback, private, link-local (the cloud metadata service at
169.254.169.254), shared, multicast, reserved or unspecified address,
unless the host or its address is on WEBHOOK_ALLOWED_HOSTS. Production
checks (WEBHOOK_CHECK_TARGETS); development keeps http://localhost for the
embedded stack.

At delivery the name is resolved once and `TargetRule.check` returns the
checked address with the verdict: the webhook sender connects to exactly
that address (channels/pinned_http.py), so a name answering a public
address to the check and 127.0.0.1 to the connection gains nothing.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """The host's addresses, each once, in the system's order of preference."""
    return list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)))


@dataclass(frozen=True)
class Verdict:
    """`refusal`: why the URL may not be called (a short code), or None.
    `address`: the checked address to connect to; None when the host is an
    allow-listed name (the operator trusts whatever it resolves to)."""
    refusal: str | None = None
    address: str | None = None


def _internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (address.is_loopback or address.is_private or address.is_link_local or address.is_multicast
            or address.is_reserved or address.is_unspecified or not address.is_global)


class TargetRule:
    def __init__(self, allowed_hosts: tuple[str, ...] = (), resolver: Resolver = resolve):
        self.allowed_names = {entry.lower() for entry in allowed_hosts if not _network(entry)}
        self.allowed_networks = [network for entry in allowed_hosts if (network := _network(entry))]
        self.resolver = resolver

    def refusal(self, url: str) -> str | None:
        """Why the URL may not be called (a short code), or None."""
        return self.check(url).refusal

    def check(self, url: str) -> Verdict:
        """Resolves the host once and checks every address it has; the
        verdict carries the first one, the one to connect to."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host:
            return Verdict("no-host")
        if host in self.allowed_names:
            return Verdict()
        try:
            addresses = [host] if _is_address(host) else self.resolver(
                host, parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, UnicodeError, ValueError):
            return Verdict("unresolvable")
        if not addresses:
            return Verdict("unresolvable")
        for text in addresses:
            address = ipaddress.ip_address(text.split("%")[0])
            if _internal(address) and not any(address in network for network in self.allowed_networks):
                return Verdict("internal-address")
        return Verdict(address=addresses[0])


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _network(entry: str):
    try:
        return ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return None
