"""An http check request as the scheduler would publish it, and a target that answers it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from pulsecheck.shared.events import CheckRequested, Envelope, new_envelope


async def answer_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """200 "ok" to any request, except a path of /silent, which never gets an answer."""
    head = await reader.readuntil(b"\r\n\r\n")
    if b" /silent " in head:
        while await reader.read(65536):
            pass
        return
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    await writer.drain()


def http_check_request(
    monitor_id: str, target: str, *, late: bool = False, timeout: float = 5
) -> Envelope:
    """An http check of `target` due now, or (`late`) ten minutes ago, past its deadline."""
    now = datetime.now(UTC)
    scheduled = now - timedelta(minutes=10) if late else now
    payload = CheckRequested(
        request_id=f"{monitor_id}:http:{scheduled.isoformat()}",
        monitor_id=monitor_id,
        account_id="acct",
        kind="http",
        target=target,
        timeout_seconds=timeout,
        scheduled_for=scheduled,
        deadline=scheduled + timedelta(minutes=1),
    )
    return new_envelope(payload, source="test", subject=monitor_id)
