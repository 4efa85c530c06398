"""Opening a connection to a vetted address (no second DNS lookup), timing each phase."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.outbound import VettedTarget, resolve_target
from pulsecheck.shared.target_safety import IPAddress

# the plain-text exchange before TLS (STARTTLS and its kin): reader, writer, host name
Upgrade = Callable[[asyncio.StreamReader, asyncio.StreamWriter, str], Awaitable[None]]


@dataclass
class OpenConnection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    address: IPAddress
    connect_ms: float
    tls_ms: float | None

    def ssl_object(self) -> ssl.SSLObject | None:
        found: ssl.SSLObject | None = self.writer.get_extra_info("ssl_object")
        return found

    def abort(self) -> None:
        # a probe never reuses a connection: drop it without a graceful TLS shutdown
        self.writer.transport.abort()


async def vet(host: str, port: int, ctx: ProbeContext) -> VettedTarget:
    return await resolve_target(host, port, ctx.allow, ctx.resolver)


async def open_vetted(
    target: VettedTarget,
    tls: ssl.SSLContext | None = None,
    server_hostname: str | None = None,
    upgrade: Upgrade | None = None,
) -> OpenConnection:
    """Connect to the first vetted address that accepts; TLS (SNI = the host name) if asked,
    after the protocol's `upgrade` exchange when there is one."""
    last_error: OSError | None = None
    for address in target.addresses:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            # a literal address: asyncio connects without calling the resolver again
            reader, writer = await asyncio.open_connection(str(address), target.port)
        except OSError as exc:
            last_error = exc
            continue
        connected = loop.time()
        connection = OpenConnection(reader, writer, address, (connected - started) * 1000, None)
        if tls is not None:
            try:
                if upgrade is not None:
                    await upgrade(reader, writer, target.host)
                await writer.start_tls(tls, server_hostname=server_hostname or target.host)
            except BaseException:
                connection.abort()
                raise
            connection.tls_ms = (loop.time() - connected) * 1000
        return connection
    assert last_error is not None, "a vetted target has at least one address"
    raise last_error
