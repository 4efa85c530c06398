"""A real target server on 127.0.0.1 for the prober service tests.

Copied from packages/checks/tests/conftest.py until the shared test-support package holds it.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
