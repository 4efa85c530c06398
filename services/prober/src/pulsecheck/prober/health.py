"""A tiny HTTP endpoint for orchestrators: `/healthz` and Prometheus `/metrics`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST

from pulsecheck.prober.metrics import ProberMetrics

log = logging.getLogger(__name__)


def _response(status: str, content_type: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


class HealthEndpoint:
    def __init__(self, metrics: ProberMetrics, healthy: Callable[[], bool]) -> None:
        self._metrics = metrics
        self._healthy = healthy
        self._server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> int:
        self._server = await asyncio.start_server(self._answer, host, port)
        bound: int = self._server.sockets[0].getsockname()[1]
        return bound

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def answer_for(self, path: str) -> bytes:
        if path == "/healthz":
            if self._healthy():
                return _response("200 OK", "text/plain", b"ok\n")
            return _response("503 Service Unavailable", "text/plain", b"starting or stopping\n")
        if path == "/metrics":
            return _response("200 OK", CONTENT_TYPE_LATEST, self._metrics.exposition())
        return _response("404 Not Found", "text/plain", b"not found\n")

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(5):
                request_line = await reader.readline()
                parts = request_line.split(b" ")
                path = parts[1].decode("latin-1").split("?")[0] if len(parts) > 1 else ""
                writer.write(self.answer_for(path))
                await writer.drain()
        except (TimeoutError, ConnectionError) as exc:
            log.debug("health request abandoned", extra={"error": repr(exc)})
        finally:
            writer.close()
