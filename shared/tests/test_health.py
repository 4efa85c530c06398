from __future__ import annotations

import asyncio

from prometheus_client import CollectorRegistry, Counter

from pulsecheck.shared.health import serve_health


async def _get(port: int, path: str) -> tuple[str, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    raw = (await reader.read()).decode()
    writer.close()
    head, _, body = raw.partition("\r\n\r\n")
    return head.splitlines()[0], body


async def test_health_and_metrics_answer() -> None:
    registry = CollectorRegistry()
    Counter("checks", "checks done", registry=registry).inc(3)
    healthy = {"ok": True}
    server = await serve_health("127.0.0.1", 0, lambda: healthy["ok"], registry)
    port = server.sockets[0].getsockname()[1]
    try:
        assert (await _get(port, "/healthz"))[0] == "HTTP/1.1 200 OK"
        status, body = await _get(port, "/metrics")
        assert status == "HTTP/1.1 200 OK"
        assert "checks_total 3.0" in body
        healthy["ok"] = False
        assert (await _get(port, "/healthz"))[0] == "HTTP/1.1 503 Service Unavailable"
        assert (await _get(port, "/nope"))[0] == "HTTP/1.1 404 Not Found"
    finally:
        server.close()
        await server.wait_closed()
