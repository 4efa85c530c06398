"""`/status/<slug>`: a public status page, no sign-in; rendered once per cache lifetime."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.storage.public_status import daily_uptime, page_incidents, page_websites
from pulsecheck.read_model.storage.region_latest import with_overall_status
from pulsecheck.read_model.storage.status_pages import status_page_by_slug, status_page_logo
from pulsecheck.webapp.forms.status_page_form import SLUG
from pulsecheck.webapp.identity import PageError
from pulsecheck.webapp.pages import render_text
from pulsecheck.webapp.public.cache import PublicCache
from pulsecheck.webapp.public.responses import PUBLIC_HEADERS, cached_response
from pulsecheck.webapp.public.status_view import first_day, overall, website_bars

router = APIRouter(include_in_schema=False)

RECENT_INCIDENTS = timedelta(days=14)
MAX_INCIDENTS = 20


def _no_page() -> PageError:
    return PageError(404, "No such status page.")


@router.get("/status/{slug}")
async def status_page(slug: str, request: Request, context: ContextDep) -> Response:
    cache: PublicCache = request.app.state.public_cache
    key = f"status:{slug}"
    if (entry := cache.get(key)) is not None:
        return cached_response(entry)
    if not SLUG.match(slug):
        raise _no_page()
    now = context.clock()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    async with context.pool.connection() as conn:
        page = await status_page_by_slug(conn, slug)
        if page is None:
            raise _no_page()
        monitor_ids = list(page["monitor_ids"])
        websites = await with_overall_status(
            conn, await page_websites(conn, monitor_ids), context.settings.min_interval_seconds, now
        )
        daily = await daily_uptime(conn, monitor_ids, first_day(today))
        incidents = await page_incidents(conn, monitor_ids, now - RECENT_INCIDENTS, MAX_INCIDENTS)
    shown = website_bars(websites, daily, today)
    html = render_text(
        "public_status.html", page=page, websites=shown, headline=overall(shown),
        incidents=incidents, rendered_at=now,
    )  # fmt: skip
    return cached_response(cache.put(key, page["account_id"], html.encode(), "text/html"))


@router.get("/status/{slug}/logo")
async def status_page_logo_image(slug: str, context: ContextDep) -> Response:
    async with context.pool.connection() as conn:
        logo = await status_page_logo(conn, slug) if SLUG.match(slug) else None
    if logo is None:
        raise _no_page()
    return Response(logo.content, media_type=logo.media_type, headers=PUBLIC_HEADERS)
