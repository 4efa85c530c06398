"""`/badge/<token>/{status,uptime,certificate}.svg`: public badges for READMEs.

Badges name a website by its badge token (made on the website page), never by its id: a
README is public, and a monitor id is what the API's URLs and events carry.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.storage.badge_tokens import badge_facts
from pulsecheck.read_model.storage.overview import uptime_percents_since
from pulsecheck.read_model.storage.region_latest import with_overall_status
from pulsecheck.read_model.storage.website_history import UPTIME_WINDOWS
from pulsecheck.webapp.public.badge_svg import (
    badge_svg,
    certificate_badge,
    status_badge,
    uptime_badge,
)
from pulsecheck.webapp.public.cache import PublicCache
from pulsecheck.webapp.public.responses import PUBLIC_HEADERS, cached_response
from pulsecheck.webapp.routes.overview import days_left

router = APIRouter(include_in_schema=False)

SVG = "image/svg+xml"
BadgeKind = Literal["status", "uptime", "certificate"]
MAX_TOKEN = 64


async def _badge(
    request: Request, context: ContextDep, token: str, kind: BadgeKind, window: str = "30d"
) -> Response:
    cache: PublicCache = request.app.state.public_cache
    key = f"badge:{token}:{kind}:{window}"
    if (entry := cache.get(key)) is not None:
        return cached_response(entry)
    facts = None
    async with context.pool.connection() as conn:
        if len(token) <= MAX_TOKEN:
            facts = await badge_facts(conn, token)
        if facts is None:
            unknown = badge_svg(kind, "unknown badge", "grey")
            return Response(unknown, status_code=404, media_type=SVG, headers=PUBLIC_HEADERS)
        now = context.clock()
        if kind == "status":
            min_interval = context.settings.min_interval_seconds
            (judged,) = await with_overall_status(conn, [facts], min_interval, now)
            svg = status_badge(judged["status"], facts["paused"])
        elif kind == "certificate":
            svg = certificate_badge(days_left(facts["cert_expires_at"], now))
        else:
            since = now - UPTIME_WINDOWS[window]
            percents = await uptime_percents_since(conn, [facts["id"]], since)
            svg = uptime_badge(window, percents.get(facts["id"]))
    return cached_response(cache.put(key, facts["account_id"], svg.encode(), SVG))


@router.get("/badge/{token}/status.svg")
async def status_svg(token: str, request: Request, context: ContextDep) -> Response:
    return await _badge(request, context, token, "status")


@router.get("/badge/{token}/uptime.svg")
async def uptime_svg(
    token: str, request: Request, context: ContextDep, window: str = "30d"
) -> Response:
    chosen = window if window in UPTIME_WINDOWS else "30d"
    return await _badge(request, context, token, "uptime", chosen)


@router.get("/badge/{token}/certificate.svg")
async def certificate_svg(token: str, request: Request, context: ContextDep) -> Response:
    return await _badge(request, context, token, "certificate")
