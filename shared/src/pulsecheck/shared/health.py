"""Tiny HTTP endpoint for workers: `/healthz` from a callback, `/metrics` for Prometheus.

Workers (scheduler, prober, notifier, projector) have no web framework; this keeps them that way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

HealthCheck = Callable[[], bool]


def _response(status: str, content_type: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def route(path: str, healthy: HealthCheck, registry: CollectorRegistry) -> bytes:
    if path in ("/healthz", "/readyz"):
        ok = healthy()
        status = "200 OK" if ok else "503 Service Unavailable"
        return _response(status, "application/json", b'{"ok":true}' if ok else b'{"ok":false}')
    if path == "/metrics":
        return _response("200 OK", CONTENT_TYPE_LATEST, generate_latest(registry))
    return _response("404 Not Found", "application/json", b'{"detail":"not found"}')


async def serve_health(
    host: str, port: int, healthy: HealthCheck, registry: CollectorRegistry
) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = await asyncio.wait_for(reader.readline(), timeout=5)
            parts = request_line.decode("latin-1").split()
            path = parts[1].split("?", 1)[0] if len(parts) >= 2 else "/"
            writer.write(route(path, healthy, registry))
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, host, port)
