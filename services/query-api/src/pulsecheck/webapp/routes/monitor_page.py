"""`/monitors/<id>`: one website, the page every alert links to."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.read_model.stats_windows import plan_window
from pulsecheck.read_model.storage.alerts import incident_page
from pulsecheck.read_model.storage.badge_tokens import existing_badge_token
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.dns_answers import dns_answers_of
from pulsecheck.read_model.storage.logs import LogQuery, ssl_log_page, uptime_log_page
from pulsecheck.read_model.storage.monitors import get_monitor
from pulsecheck.read_model.storage.region_latest import statuses_of
from pulsecheck.read_model.storage.website_history import (
    UPTIME_WINDOWS,
    latency_buckets,
    notifications_since,
    uptime_by_region,
    uptime_by_window,
)
from pulsecheck.webapp.charts import latency_chart, latency_points
from pulsecheck.webapp.identity import PageError, SignedIn, ViewerDep
from pulsecheck.webapp.incident_timeline import timeline
from pulsecheck.webapp.pages import render
from pulsecheck.webapp.routes.overview import days_left

router = APIRouter(include_in_schema=False)

RECENT = 20
TIMELINE_DELIVERIES = 200
WINDOWS = tuple(UPTIME_WINDOWS)


def parsed_id(text: str) -> uuid.UUID:
    """A path id, or the same 404 page an unknown website gets."""
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise PageError(404, "No such website in this account.") from exc


def chosen_window(window: str) -> str:
    # an unknown window from a shared link falls back to a day, not to an error
    return window if window in UPTIME_WINDOWS else "24h"


async def website_of(conn: Connection, me: SignedIn, text: str) -> dict[str, Any]:
    row = await get_monitor(conn, me.account_id, parsed_id(text))
    if row is None:
        raise PageError(404, "No such website in this account.")
    return row


@router.get("/monitors/{monitor_id}")
async def website_page(
    monitor_id: str, request: Request, me: ViewerDep, context: ContextDep, window: str = "24h"
) -> HTMLResponse:
    window = chosen_window(window)
    now = context.clock()
    plan = plan_window(window, now)
    async with context.pool.connection() as conn:
        website = await website_of(conn, me, monitor_id)
        site = website["id"]
        checks = await uptime_log_page(conn, LogQuery(site, RECENT))
        certificates = await ssl_log_page(conn, LogQuery(site, RECENT))
        incidents = await incident_page(conn, me.account_id, site, None, None, RECENT)
        first_opened = min((i["opened_at"] for i in incidents), default=now)
        deliveries = await notifications_since(
            conn, me.account_id, site, first_opened, TIMELINE_DELIVERIES
        )
        uptime = await uptime_by_window(conn, site, now)
        regions = await uptime_by_region(conn, site, now)
        buckets = await latency_buckets(conn, site, plan)
        badge_token = await existing_badge_token(conn, site)
        judged = await statuses_of(conn, [website], context.settings.min_interval_seconds, now)
        dns_answers = (await dns_answers_of(conn, [site])).get(site, [])
    return render(
        request, "monitor.html", me, website=website, spec=website["spec"], checks=checks,
        status=judged[site],
        certificate=certificates[0] if certificates else None, tls_history=certificates,
        incidents=[(i, timeline(i, deliveries, now)) for i in incidents],
        cert_days_left=days_left(website["cert_expires_at"], now), uptime=uptime,
        regions=regions if len(regions) > 1 else {}, windows=WINDOWS, window=window,
        chart=latency_chart(latency_points(buckets), plan.since, now), badge_token=badge_token,
        dns_answers=dns_answers,
    )  # fmt: skip
