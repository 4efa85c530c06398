"""The one outbound guard: resolve a target once, vet every address, hand back the vetted ones.

Every outbound connection goes through `resolve_target` (checks, query-api's on-demand checks,
the notifier's webhook and Slack posts): connecting to the returned addresses, never a second
lookup, keeps DNS rebinding from swapping in an internal address between vetting and connecting.
Which addresses are refused is decided by the pure rules in `pulsecheck.shared.target_safety`;
the operator's allow-list (`PULSECHECK_TARGET_ALLOW_LIST`; the tests open loopback) overrides them.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.checks.targets import parse_http_target
from pulsecheck.shared.target_safety import (
    AllowList,
    IPAddress,
    TargetRefused,
    TargetUnresolvable,
    normalise_host,
    parse_ip_literal,
    vet_addresses,
)


class Resolver(Protocol):
    """Looks a host name up once; returns every address it has (as strings)."""

    async def resolve(self, host: str, port: int) -> Sequence[str]: ...


class SystemResolver:
    """The operating system's resolver (getaddrinfo) through the event loop."""

    async def resolve(self, host: str, port: int) -> Sequence[str]:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except socket.gaierror as exc:
            raise TargetUnresolvable(f"{host}: {exc.strerror}") from exc
        return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class VettedTarget:
    """A host and the addresses it resolved to, all vetted: connect only to these."""

    host: str
    port: int
    addresses: tuple[IPAddress, ...]


async def resolve_target(
    host: str, port: int, allow: AllowList, resolver: Resolver
) -> VettedTarget:
    """Resolve `host` once and vet every address (metadata stays shut to host-name entries)."""
    name = normalise_host(host)
    literal = parse_ip_literal(name)
    if literal is not None:
        return VettedTarget(name, port, vet_addresses(name, [literal], allow))
    answers = await resolver.resolve(name, port)
    addresses = [parsed for a in answers if (parsed := parse_ip_literal(a)) is not None]
    if not addresses:
        raise TargetUnresolvable(f"{name} has no address")
    return VettedTarget(name, port, vet_addresses(name, addresses, allow))


class TargetGuard:
    """`resolve_target` for URLs users choose (webhook, Slack): without it, an SSRF tool."""

    def __init__(self, allow: AllowList | None = None, resolver: Resolver | None = None) -> None:
        self._allow = allow or AllowList()
        self._resolver = resolver or SystemResolver()

    async def vet_url(self, url: str) -> VettedTarget:
        """The URL's host resolved once and vetted, or ProbeFailure / TargetRefused /
        TargetUnresolvable when it must not be contacted."""
        target = parse_http_target(url)
        return await resolve_target(target.host, target.port, self._allow, self._resolver)

    async def refusal(self, url: str) -> str | None:
        """Why `url` must not be posted to, or None. Resolves the host name."""
        try:
            await self.vet_url(url)
        except ProbeFailure as exc:
            return f"refused target {url!r}: {exc.message}"
        except TargetRefused as exc:
            return f"refused target: {exc}"
        except TargetUnresolvable as exc:
            return f"refused target {url!r}: cannot resolve ({exc})"
        return None
