"""Target safety (SSRF guard): which addresses a probe may connect to (pure).

Private, loopback, link-local, metadata and other non-public ranges are refused unless an
explicit allow-list opens them (internal monitoring, and the tests on 127.0.0.1). Resolving a
host once and connecting only to the addresses vetted here is `pulsecheck.checks.outbound`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class BlockReason(StrEnum):
    LOOPBACK = "loopback"
    PRIVATE = "private"
    LINK_LOCAL = "link_local"
    METADATA = "metadata"
    CGNAT = "cgnat"
    MULTICAST = "multicast"
    UNSPECIFIED = "unspecified"
    RESERVED = "reserved"
    UNIQUE_LOCAL = "unique_local"


# Cloud instance-metadata endpoints: named separately so logs say what was attempted.
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)

# Most specific first; the first network containing the address names the reason.
_V4_RANGES: tuple[tuple[str, BlockReason], ...] = (
    ("0.0.0.0/8", BlockReason.UNSPECIFIED),
    ("127.0.0.0/8", BlockReason.LOOPBACK),
    ("10.0.0.0/8", BlockReason.PRIVATE),
    ("172.16.0.0/12", BlockReason.PRIVATE),
    ("192.168.0.0/16", BlockReason.PRIVATE),
    ("169.254.0.0/16", BlockReason.LINK_LOCAL),
    ("100.64.0.0/10", BlockReason.CGNAT),
    ("224.0.0.0/4", BlockReason.MULTICAST),
    ("240.0.0.0/4", BlockReason.RESERVED),
    ("192.0.0.0/24", BlockReason.RESERVED),
    ("192.0.2.0/24", BlockReason.RESERVED),
    ("192.88.99.0/24", BlockReason.RESERVED),
    ("198.18.0.0/15", BlockReason.RESERVED),
    ("198.51.100.0/24", BlockReason.RESERVED),
    ("203.0.113.0/24", BlockReason.RESERVED),
)
_V6_RANGES: tuple[tuple[str, BlockReason], ...] = (
    ("::1/128", BlockReason.LOOPBACK),
    ("::/128", BlockReason.UNSPECIFIED),
    ("fc00::/7", BlockReason.UNIQUE_LOCAL),
    ("fe80::/10", BlockReason.LINK_LOCAL),
    ("fec0::/10", BlockReason.PRIVATE),
    ("ff00::/8", BlockReason.MULTICAST),
    ("100::/64", BlockReason.RESERVED),
    ("2001:db8::/32", BlockReason.RESERVED),
    # Teredo hides its client address behind obfuscation: refuse rather than guess.
    ("2001::/32", BlockReason.RESERVED),
    # IPv4-translated (SIIT, ::ffff:0:a.b.c.d): no public route; a translator on the path
    # would deliver it to the IPv4 address inside, so refuse the whole range
    ("::ffff:0:0:0/96", BlockReason.RESERVED),
)
_V4_NETWORKS = tuple((ipaddress.IPv4Network(n), r) for n, r in _V4_RANGES)
_V6_NETWORKS = tuple((ipaddress.IPv6Network(n), r) for n, r in _V6_RANGES)

# IPv6 forms that carry an IPv4 address a router may deliver to: judge the embedded one.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
_V4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    as_int = int(address)
    if any(address in net for net in _NAT64) or (address in _V4_COMPATIBLE and as_int > 1):
        return ipaddress.IPv4Address(as_int & 0xFFFFFFFF)
    return None


# pure, and asked for every address of every check: a public address walks some 30 networks
@lru_cache(maxsize=8192)
def classify_address(address: IPAddress) -> BlockReason | None:
    """Why a probe must not connect to `address`, or None when it is a public address."""
    if address in _METADATA:
        return BlockReason.METADATA
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return BlockReason.LINK_LOCAL
        inner = embedded_ipv4(address)
        if inner is not None:
            return classify_address(inner)
        for network6, reason in _V6_NETWORKS:
            if address in network6:
                return reason
    else:
        for network4, reason in _V4_NETWORKS:
            if address in network4:
                return reason
    return None if address.is_global else BlockReason.RESERVED


def _ipv4_part(text: str) -> int | None:
    """One dotted part as inet_aton reads it: 0x hex, leading-zero octal, or decimal."""
    try:
        if text[:2].lower() == "0x":
            return int(text[2:] or "0", 16)
        if len(text) > 1 and text.startswith("0"):
            return int(text[1:], 8)
        return int(text, 10) if text.isdigit() else None
    except ValueError:
        return None


def parse_ipv4_loose(text: str) -> ipaddress.IPv4Address | None:
    """IPv4 in every spelling a resolver accepts: "2130706433", "0x7f000001", "0177.0.0.1",
    "127.1" — so "http://0x7f000001/" cannot slip past a check that only knows dotted quads."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or any(p == "" for p in parts):
        return None
    values = [_ipv4_part(p) for p in parts]
    if any(v is None for v in values):
        return None
    numbers = [v for v in values if v is not None]
    *leading, last = numbers
    if any(v > 0xFF for v in leading) or last >= 1 << (8 * (5 - len(numbers))):
        return None
    as_int = last
    for index, value in enumerate(leading):
        as_int |= value << (8 * (3 - index))
    return ipaddress.IPv4Address(as_int)


# pure; every check parses its host (and each resolved address) again
@lru_cache(maxsize=8192)
def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes literally (any IPv4 spelling, bracketed IPv6)."""
    candidate = host.strip().removeprefix("[").removesuffix("]")
    if ":" in candidate:
        try:
            return ipaddress.IPv6Address(candidate)
        except ValueError:
            return None
    return parse_ipv4_loose(candidate)


def normalise_host(host: str) -> str:
    return host.strip().removeprefix("[").removesuffix("]").rstrip(".").lower()


@dataclass(frozen=True)
class AllowList:
    """Exceptions to the guard: networks and host names an operator opened on purpose."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> AllowList:
        """Each entry is a CIDR / address ("127.0.0.0/8", "::1") or a host name."""
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for raw in entries:
            entry = raw.strip()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(normalise_host(entry))
        return cls(tuple(networks), frozenset(hosts))

    def allows_address(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)

    def allows_host(self, host: str) -> bool:
        return normalise_host(host) in self.hosts


class TargetRefused(Exception):
    """The target resolves to an address the guard refuses.

    The message reaches tenants (check results, API errors): it names the reason only, never
    the address a name resolved to, which would map the internal network for them.
    """

    def __init__(self, host: str, address: IPAddress, reason: BlockReason) -> None:
        super().__init__(f"{host} is not allowed: it resolves to a {reason.value} address")
        self.host = host
        self.address = address
        self.reason = reason


class TargetUnresolvable(Exception):
    """The host name has no address."""


def vet_addresses(
    host: str, addresses: Iterable[IPAddress], allow: AllowList
) -> tuple[IPAddress, ...]:
    """All addresses, or TargetRefused when any one is refused (a mixed answer is suspect)."""
    host_allowed = allow.allows_host(host)
    vetted: list[IPAddress] = []
    for address in addresses:
        reason = classify_address(address)
        opened = allow.allows_address(address) or (
            host_allowed and reason is not BlockReason.METADATA
        )
        if reason is not None and not opened:
            raise TargetRefused(host, address, reason)
        if address not in vetted:
            vetted.append(address)
    return tuple(vetted)
