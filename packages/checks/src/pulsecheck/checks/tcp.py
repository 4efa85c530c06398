"""The TCP check: can a connection be opened to host:port, and how fast."""

from __future__ import annotations

import asyncio

from pulsecheck.checks.connection import open_vetted, vet
from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.failures import classify_exception
from pulsecheck.checks.outcome import ProbeOutcome
from pulsecheck.checks.targets import parse_host_port
from pulsecheck.shared.events import CheckRequested, UptimeResult


async def run(request: CheckRequested, ctx: ProbeContext) -> ProbeOutcome:
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        host, port = parse_host_port(request.target, 443)
        connection = await open_vetted(await vet(host, port, ctx))
    except Exception as exc:
        latency_ms = (loop.time() - started) * 1000
        return ProbeOutcome(
            error=classify_exception(exc), uptime=UptimeResult(latency_ms=latency_ms)
        )
    connection.abort()
    latency_ms = (loop.time() - started) * 1000
    return ProbeOutcome(
        uptime=UptimeResult(latency_ms=latency_ms, connect_ms=connection.connect_ms)
    )
