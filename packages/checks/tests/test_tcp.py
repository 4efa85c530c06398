"""The TCP check against a real listener on 127.0.0.1."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.registry import run_check
from pulsecheck.shared.events import CheckCompleted, CheckRequested, ErrorKind
from pulsecheck.shared.target_safety import AllowList


async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read(1)


async def check(ctx: ProbeContext, target: str) -> CheckCompleted:
    now = datetime.now(UTC)
    request = CheckRequested(
        request_id="r",
        monitor_id="m",
        account_id="a",
        kind="tcp",
        target=target,
        timeout_seconds=3,
        scheduled_for=now,
        deadline=now + timedelta(minutes=1),
    )
    return await run_check(request, ctx)


async def test_open_port_is_up(fleet: Any, probe_context: ProbeContext) -> None:
    listener = await fleet.start(hold)
    result = await check(probe_context, f"good.test:{listener.port}")
    assert result.outcome == "up", result.error
    assert result.uptime is not None and result.uptime.connect_ms is not None
    # the server side sees the accept a moment later
    await asyncio.wait_for(listener.accepted.wait(), timeout=2)


async def test_refused_port(probe_context: ProbeContext, closed_port: int) -> None:
    result = await check(probe_context, f"tcp://127.0.0.1:{closed_port}")
    assert result.error is not None and result.error.kind is ErrorKind.REFUSED


async def test_blocked_without_allow_list(fleet: Any, probe_context: ProbeContext) -> None:
    listener = await fleet.start(hold)
    result = await check(replace(probe_context, allow=AllowList()), f"127.1:{listener.port}")
    assert result.error is not None and result.error.kind is ErrorKind.BLOCKED_TARGET
    assert listener.connections == 0
