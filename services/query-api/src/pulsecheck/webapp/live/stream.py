"""`GET /live`: the account's changes as Server-Sent Events, for htmx's SSE extension.

Each change is an event named `m-<monitor id>` (the website's row and page swap on it) and
one named `changed` (account-wide lists refresh on it). A stream lasts at most
`MAX_STREAM_SECONDS`, so a revoked session stops hearing within that; the browser reconnects.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from pulsecheck.webapp.identity import ViewerDep
from pulsecheck.webapp.live.feed import ChangeFeed, Subscription

router = APIRouter(include_in_schema=False)

KEEPALIVE_SECONDS = 15.0
MAX_STREAM_SECONDS = 600.0
RETRY_MS = 2000


def change_feed(request: Request) -> ChangeFeed:
    feed: ChangeFeed = request.app.state.change_feed
    return feed


FeedDep = Annotated[ChangeFeed, Depends(change_feed)]


async def events(subscription: Subscription, lifetime: float) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n: listening\n\n"
    ends_at = time.monotonic() + lifetime
    while (left := ends_at - time.monotonic()) > 0:
        try:
            change = await asyncio.wait_for(subscription.queue.get(), min(KEEPALIVE_SECONDS, left))
        except TimeoutError:
            yield ": keep-alive\n\n"  # a comment: lets a proxy and the server see a dead client
            continue
        if change is None:
            return
        monitor = change.monitor_id
        yield f"event: m-{monitor}\ndata: {monitor}\n\nevent: changed\ndata: {monitor}\n\n"


@router.get("/live")
async def live(me: ViewerDep, feed: FeedDep) -> StreamingResponse:
    async def stream() -> AsyncIterator[str]:
        with feed.subscribe(me.account_id) as subscription:
            async for chunk in events(subscription, MAX_STREAM_SECONDS):
                yield chunk

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
