from __future__ import annotations

import asyncio
import json
from typing import Any

from prometheus_client import CollectorRegistry, Counter, generate_latest

from pulsecheck.shared.health import HealthServer, Verdict, respond, verdict_of


async def _get(port: int, path: str) -> tuple[str, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    response = await reader.read()
    writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body


async def test_liveness_readiness_and_metrics_answer_on_loopback() -> None:
    registry = CollectorRegistry()
    Counter("checks", "checks done", registry=registry).inc(3)
    state: dict[str, Any] = {"alive": True, "ready": True}

    async def liveness() -> Verdict:
        return state["alive"], {"monitors": 5}

    async def readiness() -> Verdict:
        return state["ready"], {"kafka": "ok" if state["ready"] else "unreachable"}

    server = HealthServer(
        "127.0.0.1",
        0,
        liveness=liveness,
        readiness=readiness,
        exposition=lambda: generate_latest(registry),
    )
    await server.start()
    try:
        status, body = await _get(server.port, "/healthz?verbose=1")
        assert status == "HTTP/1.1 200 OK"
        assert json.loads(body) == {"ok": True, "monitors": 5}
        status, body = await _get(server.port, "/metrics")
        assert status == "HTTP/1.1 200 OK" and b"checks_total 3.0" in body
        # ready and alive are two questions: a worker can be alive and not ready
        state["ready"] = False
        assert (await _get(server.port, "/healthz"))[0] == "HTTP/1.1 200 OK"
        status, body = await _get(server.port, "/readyz")
        assert status == "HTTP/1.1 503 Service Unavailable"
        assert json.loads(body) == {"ok": False, "kafka": "unreachable"}
        state["alive"] = False
        assert (await _get(server.port, "/healthz"))[0] == "HTTP/1.1 503 Service Unavailable"
    finally:
        await server.stop()


async def _fine() -> Verdict:
    return True, {}


async def test_nothing_but_the_three_paths_is_served() -> None:
    for path in ("/nope", "/table/monitor-state", "/", "/healthz/../table"):
        status, _, _ = await respond(path, _fine, _fine, lambda: b"")
        assert status == "404 Not Found", path


async def test_a_probe_that_raises_or_hangs_is_a_failure_with_its_reason() -> None:
    async def broken() -> Verdict:
        raise ConnectionError("broker unreachable")

    async def hanging() -> Verdict:
        await asyncio.Event().wait()
        return True, {}

    assert await verdict_of(broken) == (False, {"error": "ConnectionError: broker unreachable"})
    ok, details = await verdict_of(hanging, within=0.05)
    assert not ok and "did not answer" in details["error"]
