"""Real target servers on 127.0.0.1 for the tests of the checks and of the prober: a fleet that
starts listeners on ephemeral ports, counts their connections and stops them after the test,
and a port that refuses connections.

The conftests of both suites import the fixtures `fleet` and `closed_port` by name.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from pulsecheck.testing.ports import free_port

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class TargetServer:
    server: asyncio.Server
    connections: int = 0
    accepted: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def port(self) -> int:
        port: int = self.server.sockets[0].getsockname()[1]
        return port


@dataclass
class TargetFleet:
    """Starts servers on 127.0.0.1 (ephemeral ports) and stops them after the test."""

    servers: list[TargetServer] = field(default_factory=list)
    open_connections: dict[asyncio.StreamWriter, asyncio.Task[None]] = field(default_factory=dict)

    async def start(self, handler: Handler, tls: ssl.SSLContext | None = None) -> TargetServer:
        holder: list[TargetServer] = []

        async def counted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            holder[0].connections += 1
            holder[0].accepted.set()
            task = asyncio.current_task()
            assert task is not None
            self.open_connections[writer] = task
            try:
                await handler(reader, writer)
            except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
                pass
            finally:
                self.open_connections.pop(writer, None)
                writer.transport.abort()

        server = await asyncio.start_server(counted, "127.0.0.1", 0, ssl=tls)
        target = TargetServer(server)
        holder.append(target)
        self.servers.append(target)
        return target

    async def close(self) -> None:
        for target in self.servers:
            target.server.close()
        # ending the connections (not cancelling handlers) lets every handler return
        tasks = list(self.open_connections.values())
        for writer in list(self.open_connections):
            writer.transport.abort()
        async with asyncio.timeout(5):
            await asyncio.gather(*tasks, return_exceptions=True)
        for target in self.servers:
            await target.server.wait_closed()


@pytest.fixture
async def fleet() -> AsyncIterator[TargetFleet]:
    servers = TargetFleet()
    yield servers
    await servers.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    return free_port()
