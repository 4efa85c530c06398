"""The health endpoint's answers."""

from __future__ import annotations

import asyncio

from pulsecheck.prober.health import HealthEndpoint
from pulsecheck.prober.metrics import ProberMetrics


def test_answers() -> None:
    healthy = [False]
    metrics = ProberMetrics()
    metrics.checks.labels("tls", "down").inc()
    endpoint = HealthEndpoint(metrics, lambda: healthy[0])
    assert endpoint.answer_for("/healthz").startswith(b"HTTP/1.1 503")
    healthy[0] = True
    assert endpoint.answer_for("/healthz").startswith(b"HTTP/1.1 200")
    assert b'pulsecheck_prober_checks_total{kind="tls",outcome="down"} 1.0' in endpoint.answer_for(
        "/metrics"
    )
    assert endpoint.answer_for("/nope").startswith(b"HTTP/1.1 404")


async def test_serves_on_loopback() -> None:
    endpoint = HealthEndpoint(ProberMetrics(), lambda: True)
    port = await endpoint.start("127.0.0.1", 0)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz?verbose=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = await reader.read()
        writer.close()
        await writer.wait_closed()
    finally:
        await endpoint.stop()
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"ok\n")
