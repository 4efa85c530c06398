"""Adds the web app to the API's FastAPI app: routers, static files, error pages, and the
live change feed with the public cache it keeps fresh."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from pulsecheck.webapp.identity import PageError, SignInRequired
from pulsecheck.webapp.live import stream
from pulsecheck.webapp.live.feed import ChangeFeed
from pulsecheck.webapp.pages import STATIC_DIR, render
from pulsecheck.webapp.public import badges, status_page
from pulsecheck.webapp.public.cache import PublicCache
from pulsecheck.webapp.routes import (
    account_lists,
    alert_rules,
    api_keys,
    channels,
    members,
    monitor_export,
    monitor_forms,
    monitor_page,
    overview,
    session,
    status_pages,
)

# /monitors/new is declared before /monitors/{id} so "new" is never taken for an id
ROUTERS = (
    session, overview, monitor_forms, alert_rules, monitor_export, monitor_page, channels,
    api_keys, members, account_lists, status_pages, stream, status_page, badges,
)  # fmt: skip


def install_webapp(app: FastAPI, database_url: str) -> None:
    feed = ChangeFeed(database_url)
    cache = PublicCache()
    feed.add_listener(cache.on_change)
    app.state.change_feed = feed
    app.state.public_cache = cache
    for module in ROUTERS:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> HTMLResponse:
        return render(request, "error.html", None, http_status=exc.status, message=exc.message)


@contextlib.asynccontextmanager
async def live_feed_running(app: FastAPI) -> AsyncIterator[None]:
    """For the app's lifespan: the one LISTEN connection, and every stream ended at shutdown."""
    feed: ChangeFeed = app.state.change_feed
    task = asyncio.create_task(feed.run(), name="webapp-change-feed")
    try:
        yield
    finally:
        feed.close_all()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
