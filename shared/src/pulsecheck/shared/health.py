"""Tiny HTTP endpoint for workers: `/healthz` and `/readyz` from a probe, `/metrics` for Prometheus.

Workers (scheduler, prober, projector) have no web framework; this keeps them that way.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST

StatusProbe = Callable[[], tuple[bool, dict[str, Any]]]
"""Returns (healthy, details shown in the body)."""

Exposition = Callable[[], bytes]
"""Returns the Prometheus text exposition."""


def respond(path: str, probe: StatusProbe, exposition: Exposition) -> tuple[str, str, bytes]:
    """The (status line, content type, body) for a request path: pure, testable without a socket."""
    path = path.split("?", 1)[0]
    if path in ("/healthz", "/readyz"):
        healthy, details = probe()
        status = "200 OK" if healthy else "503 Service Unavailable"
        return status, "application/json", json.dumps({"ok": healthy, **details}).encode()
    if path == "/metrics":
        return "200 OK", CONTENT_TYPE_LATEST, exposition()
    return "404 Not Found", "application/json", b'{"detail":"not found"}'


class HealthServer:
    def __init__(self, host: str, port: int, probe: StatusProbe, exposition: Exposition) -> None:
        self._host = host
        self._port = port
        self._probe = probe
        self._exposition = exposition
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("health server not started")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self._host, self._port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = await asyncio.wait_for(reader.readline(), 5)
            while (await asyncio.wait_for(reader.readline(), 5)) not in (b"\r\n", b"\n", b""):
                pass
            parts = request_line.decode("latin-1").split()
            path = parts[1] if len(parts) >= 2 else ""
            status, content_type, body = respond(path, self._probe, self._exposition)
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
