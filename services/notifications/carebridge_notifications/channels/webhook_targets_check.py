"""Where a webhook may point: never into CareBridge's own network.

A subscription is refused, and each delivery is refused again (the name may
resolve elsewhere by then: DNS rebinding), when the URL's host is, or
resolves to, a loopback, private, link-local (the cloud metadata service at
169.254.169.254), shared, multicast, reserved or unspecified address,
unless the host or its address is on WEBHOOK_ALLOWED_HOSTS. Production
checks (WEBHOOK_CHECK_TARGETS); development keeps http://localhost for the
embedded stack.
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Callable
from urllib.parse import urlsplit

Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})


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
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host:
            return "no-host"
        if host in self.allowed_names:
            return None
        try:
            addresses = [host] if _is_address(host) else self.resolver(
                host, parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, UnicodeError):
            return "unresolvable"
        if not addresses:
            return "unresolvable"
        for text in addresses:
            address = ipaddress.ip_address(text.split("%")[0])
            if _internal(address) and not any(address in network for network in self.allowed_networks):
                return "internal-address"
        return None


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
