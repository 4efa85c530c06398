"""`/ping/<token>[/start|/fail|/<exit code>]`: a heartbeat reports in. No API key: the token is
the credential. The route finds the monitor, queues `HeartbeatPinged` keyed by its id and
answers (what that 200 promises: ping_delivery.py); whether the ping is late, a failure or the
end of a run is the scheduler's to judge.
"""

from __future__ import annotations

import math
import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import PlainTextResponse

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.query_api.api.errors import ApiError, not_found
from pulsecheck.shared.events import HeartbeatPinged, encode, new_envelope
from pulsecheck.shared.events.heartbeats import MAX_PING_BODY_CHARS, PingSignal

router = APIRouter(prefix="/ping", tags=["heartbeats"])

SOURCE = "pulsecheck/query-api"
Token = Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
ExitCode = Annotated[int, Path(ge=0, le=255)]


async def _ping(
    request: Request, context: ContextDep, token: str, signal: PingSignal, code: int | None
) -> PlainTextResponse:
    # the bucket is the token's, so one noisy job cannot starve another
    wait = context.ping_limiter.admit([f"ping:{token}"], time.monotonic())
    if wait > 0.0:
        retry = {"Retry-After": str(math.ceil(wait))}
        raise ApiError(429, "rate_limited", "too many pings for this token", headers=retry)
    target = await context.ping_tokens.find(token)
    if target is None:
        raise not_found("ping token")
    body = await _capped_body(request)
    ping = HeartbeatPinged(
        ping_id=str(uuid.uuid4()),
        monitor_id=str(target.monitor_id),
        account_id=str(target.account_id),
        signal=signal,
        exit_code=code,
        pinged_at=context.clock(),
        body=body,
    )
    envelope = new_envelope(ping, source=SOURCE, subject=ping.monitor_id)
    # answered once queued, before the broker's ack: what a 200 means is in ping_delivery.py
    await context.ping_delivery.deliver(
        context.topics.heartbeats, encode(envelope), ping.monitor_id
    )
    context.metrics.events_published.labels(context.topics.heartbeats).inc()
    return PlainTextResponse("OK")


async def _capped_body(request: Request) -> str:
    """The first 10 KiB of the body as text; the rest is read and dropped, never kept."""
    kept = bytearray()
    async for chunk in request.stream():
        if len(kept) < MAX_PING_BODY_CHARS:
            kept.extend(chunk[: MAX_PING_BODY_CHARS - len(kept)])
    text = kept.decode("utf-8", "replace")[:MAX_PING_BODY_CHARS]
    # PostgreSQL and the JSON of some consumers refuse NUL
    return text.replace("\x00", "\ufffd")


async def ping_success(request: Request, context: ContextDep, token: Token) -> PlainTextResponse:
    return await _ping(request, context, token, "success", None)


async def ping_start(request: Request, context: ContextDep, token: Token) -> PlainTextResponse:
    return await _ping(request, context, token, "start", None)


async def ping_fail(request: Request, context: ContextDep, token: Token) -> PlainTextResponse:
    return await _ping(request, context, token, "fail", None)


async def ping_exit_code(
    request: Request, context: ContextDep, token: Token, code: ExitCode
) -> PlainTextResponse:
    return await _ping(request, context, token, "success", code)


# GET for `curl URL` in a crontab, POST for a body; one operation id per method
for _method in ("GET", "POST"):
    for _path, _handler in (
        ("/{token}", ping_success),
        ("/{token}/start", ping_start),
        ("/{token}/fail", ping_fail),
        ("/{token}/{code}", ping_exit_code),
    ):
        router.add_api_route(
            _path,
            _handler,
            methods=[_method],
            response_class=PlainTextResponse,
            operation_id=f"{_handler.__name__}_{_method.lower()}",
        )
