"""The one list of check kinds, and running any of them under a hard timeout."""

from __future__ import annotations

import asyncio
from typing import Final, Protocol

from pulsecheck.checks import dns, http, tcp, tls
from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.failures import classify_exception
from pulsecheck.checks.outcome import ProbeOutcome, completed_event
from pulsecheck.shared.events import CheckCompleted, CheckRequested, UptimeResult
from pulsecheck.shared.events.common import UPTIME_KINDS, CheckKind


class Check(Protocol):
    async def __call__(self, request: CheckRequested, ctx: ProbeContext) -> ProbeOutcome: ...


CHECKS: Final[dict[CheckKind, Check]] = {
    "http": http.run,
    "tls": tls.run,
    "tcp": tcp.run,
    "dns": dns.run,
}


async def run_check(request: CheckRequested, ctx: ProbeContext) -> CheckCompleted:
    """Run the request's check; never raises, never outlives `timeout_seconds`."""
    started_at = ctx.clock()
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        async with asyncio.timeout(request.timeout_seconds):
            outcome = await CHECKS[request.kind](request, ctx)
    except Exception as exc:
        uptime = None
        if request.kind in UPTIME_KINDS:
            uptime = UptimeResult(latency_ms=(loop.time() - started) * 1000)
        outcome = ProbeOutcome(error=classify_exception(exc), uptime=uptime)
    return completed_event(request, ctx.region, started_at, ctx.clock(), outcome)
