from __future__ import annotations

import asyncio
import json
from typing import Any

from prometheus_client import CollectorRegistry, Counter, generate_latest

from pulsecheck.shared.health import HealthServer, respond


async def _get(port: int, path: str) -> tuple[str, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    response = await reader.read()
    writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body


async def test_health_readiness_and_metrics_answer_on_loopback() -> None:
    registry = CollectorRegistry()
    Counter("checks", "checks done", registry=registry).inc(3)
    state: dict[str, Any] = {"healthy": True}
    server = HealthServer(
        "127.0.0.1",
        0,
        lambda: (state["healthy"], {"monitors": 5}),
        lambda: generate_latest(registry),
    )
    await server.start()
    try:
        status, body = await _get(server.port, "/healthz?verbose=1")
        assert status == "HTTP/1.1 200 OK"
        assert json.loads(body) == {"ok": True, "monitors": 5}
        status, body = await _get(server.port, "/metrics")
        assert status == "HTTP/1.1 200 OK" and b"checks_total 3.0" in body
        state["healthy"] = False
        assert (await _get(server.port, "/healthz"))[0] == "HTTP/1.1 503 Service Unavailable"
        assert (await _get(server.port, "/readyz"))[0] == "HTTP/1.1 503 Service Unavailable"
    finally:
        await server.stop()


def test_unknown_path_is_404() -> None:
    status, _, _ = respond("/nope", lambda: (True, {}), lambda: b"")
    assert status == "404 Not Found"
