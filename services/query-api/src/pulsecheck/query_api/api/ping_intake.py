"""What a ping is, whichever door it came in by (the ping lane or the FastAPI routes): the
token's bucket, its monitor, the body cut to 10 KiB, and one `HeartbeatPinged` queued keyed by
the monitor's id (what the 200 that follows promises: ping_delivery.py). Whether the ping is
late, a failure or the end of a run is the scheduler's to judge.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import AsyncIterator

from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import ApiError, not_found
from pulsecheck.shared.events import HeartbeatPinged, encode, new_envelope
from pulsecheck.shared.events.heartbeats import MAX_PING_BODY_CHARS, PingSignal

SOURCE = "pulsecheck/query-api"


async def accept_ping(
    context: AppContext,
    token: str,
    signal: PingSignal,
    code: int | None,
    body: AsyncIterator[bytes],
) -> None:
    """Queue the ping, or raise the ApiError to answer (404, 429, 503)."""
    # the bucket is the token's, so one noisy job cannot starve another
    wait = context.ping_limiter.admit([f"ping:{token}"], time.monotonic())
    if wait > 0.0:
        retry = {"Retry-After": str(math.ceil(wait))}
        raise ApiError(429, "rate_limited", "too many pings for this token", headers=retry)
    target = await context.ping_tokens.find(token)
    if target is None:
        raise not_found("ping token")
    text = await capped_body(body)
    ping = HeartbeatPinged(
        ping_id=str(uuid.uuid4()),
        monitor_id=str(target.monitor_id),
        account_id=str(target.account_id),
        signal=signal,
        exit_code=code,
        pinged_at=context.clock(),
        body=text,
    )
    envelope = new_envelope(ping, source=SOURCE, subject=ping.monitor_id)
    # answered once queued, before the broker's ack: what a 200 means is in ping_delivery.py
    await context.ping_delivery.deliver(
        context.topics.heartbeats, encode(envelope), ping.monitor_id
    )
    context.metrics.events_published.labels(context.topics.heartbeats).inc()


async def capped_body(chunks: AsyncIterator[bytes]) -> str:
    """The first 10 KiB of the body as text; the rest is read and dropped, never kept."""
    kept = bytearray()
    async for chunk in chunks:
        if len(kept) < MAX_PING_BODY_CHARS:
            kept.extend(chunk[: MAX_PING_BODY_CHARS - len(kept)])
    text = kept.decode("utf-8", "replace")[:MAX_PING_BODY_CHARS]
    # PostgreSQL and the JSON of some consumers refuse NUL
    return text.replace("\x00", "\ufffd")
