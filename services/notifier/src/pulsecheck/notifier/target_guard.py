"""Refuses to post a user's webhook to private, loopback, link-local or metadata addresses.

Users choose webhook and Slack URLs, so without this the notifier would be an SSRF tool.
An explicit allow-list of networks (the tests allow 127.0.0.1) overrides the refusal.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_refusal(address: IpAddress, allowed: Iterable[IpNetwork]) -> str | None:
    """Pure: why posting to this address is refused, or None when it is fine."""
    if any(address in network for network in allowed):
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address_refusal(address.ipv4_mapped, allowed)
    if not address.is_global or address.is_multicast:
        return f"refused non-public address {address}"
    return None


class TargetGuard:
    def __init__(self, allowed_networks: Iterable[str] = ()) -> None:
        self._allowed = tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks)

    async def refusal(self, url: str) -> str | None:
        """Why `url` must not be posted to, or None. Resolves the host name."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return f"refused target {url!r}: not an http(s) URL"
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                parts.hostname, parts.port or 443, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            return f"refused target {parts.hostname}: cannot resolve ({exc})"
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            reason = address_refusal(address, self._allowed)
            if reason:
                return reason
        return None
