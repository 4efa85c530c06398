"""What every check shares: TLS contexts built once, the SSRF allow-list, resolver, clock."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import dns.resolver

from pulsecheck.checks.outbound import Resolver, SystemResolver
from pulsecheck.checks.tls_sessions import TlsSessionCache
from pulsecheck.shared.sealing import Opener
from pulsecheck.shared.target_safety import AllowList


def utc_now() -> datetime:
    return datetime.now(UTC)


def system_nameservers() -> Sequence[str]:
    """The host's resolvers, read from /etc/resolv.conf each time (it may change)."""
    try:
        return tuple(str(server) for server in dns.resolver.Resolver(configure=True).nameservers)
    except dns.resolver.NoResolverConfiguration:
        return ()


def verifying_context(extra_ca_pem: str | None = None) -> ssl.SSLContext:
    """The system trust store (+ an optional extra CA); costly (~40 ms), so build it once."""
    context = ssl.create_default_context()
    if extra_ca_pem:
        context.load_verify_locations(cadata=extra_ca_pem)
    return context


def inspecting_context() -> ssl.SSLContext:
    """Accepts any certificate: only to read what a server presents after verification failed."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@dataclass(frozen=True)
class ProbeContext:
    region: str
    verify_tls: ssl.SSLContext
    inspect_tls: ssl.SSLContext
    allow: AllowList = field(default_factory=AllowList)
    resolver: Resolver = field(default_factory=SystemResolver)
    clock: Callable[[], datetime] = utc_now
    # the resolvers a DNS check asks when its monitor names none (the host's, by default)
    system_nameservers: Callable[[], Sequence[str]] = system_nameservers
    user_agent: str = "PulseCheck-Prober/0.1"
    # opens the monitors' sealed header credentials; without keys such a check fails, classified
    header_opener: Opener = field(default_factory=lambda: Opener({}))
    # uptime checks resume TLS sessions per target (the TLS check never does)
    tls_sessions: TlsSessionCache = field(default_factory=TlsSessionCache)

    @classmethod
    def build(
        cls,
        region: str,
        allow: AllowList | None = None,
        resolver: Resolver | None = None,
        extra_ca_pem: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        header_opener: Opener | None = None,
    ) -> ProbeContext:
        return cls(
            region=region,
            verify_tls=verifying_context(extra_ca_pem),
            inspect_tls=inspecting_context(),
            allow=allow or AllowList(),
            resolver=resolver or SystemResolver(),
            clock=clock,
            header_opener=header_opener or Opener({}),
        )
