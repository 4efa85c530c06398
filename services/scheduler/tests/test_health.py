from __future__ import annotations

import asyncio
import json
from typing import Any

from pulsecheck.scheduler.health import HealthServer
from pulsecheck.scheduler.metrics import SchedulerMetrics


async def get(port: int, path: str) -> tuple[str, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    response = await reader.read()
    writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body


async def test_healthz_reflects_the_probe_and_metrics_are_exposed() -> None:
    state: dict[str, Any] = {"healthy": True}
    metrics = SchedulerMetrics()
    metrics.requests_emitted.labels("http").inc(3)
    server = HealthServer(
        "127.0.0.1", 0, lambda: (state["healthy"], {"monitors": 5}), metrics.registry
    )
    await server.start()
    try:
        status, body = await get(server.port, "/healthz")
        assert status == "HTTP/1.1 200 OK" and json.loads(body) == {"monitors": 5}
        state["healthy"] = False
        status, _ = await get(server.port, "/healthz")
        assert status.startswith("HTTP/1.1 503")
        status, body = await get(server.port, "/metrics")
        assert b'pulsecheck_scheduler_requests_emitted_total{kind="http"} 3.0' in body
        status, _ = await get(server.port, "/nope")
        assert status.startswith("HTTP/1.1 404")
    finally:
        await server.stop()
