"""`/websites/{id}/stats`: uptime, incidents and latency percentiles over a window, of every
region together or of one (`?region=`)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from pulsecheck.query_api.api.deps import AccountDep, ContextDep, PoolDep
from pulsecheck.query_api.api.errors import not_found
from pulsecheck.query_api.api.page_params import RegionQuery
from pulsecheck.query_api.api.schemas.stats import LatencySummary, StatsWindow, WebsiteStats
from pulsecheck.read_model.latency_histogram import percentile
from pulsecheck.read_model.stats_windows import plan_window
from pulsecheck.read_model.storage.monitors import monitor_exists
from pulsecheck.read_model.storage.stats import rollup_totals

router = APIRouter(prefix="/websites", tags=["stats"])


@router.get("/{website_id}/stats", response_model=WebsiteStats)
async def website_stats(
    website_id: uuid.UUID,
    account: AccountDep,
    context: ContextDep,
    pool: PoolDep,
    window: StatsWindow = "24h",
    region: RegionQuery = None,
) -> WebsiteStats:
    now = context.clock()
    plan = plan_window(window, now)
    async with pool.connection() as conn:
        if not await monitor_exists(conn, account, website_id):
            raise not_found("website")
        totals = await rollup_totals(conn, website_id, plan, region)
    ok = totals.up + totals.degraded
    return WebsiteStats(
        website_id=str(website_id),
        window=window,
        region=region,
        scope="overall" if region is None else "region",
        since=plan.since,
        until=now,
        checks=totals.checks,
        up=totals.up,
        degraded=totals.degraded,
        down=totals.down,
        uptime_percent=round(100.0 * ok / totals.checks, 3) if totals.checks else None,
        incidents=totals.incidents,
        latency=LatencySummary(
            mean_ms=round(totals.latency_sum / totals.latency_count, 3)
            if totals.latency_count
            else None,
            p50_ms=percentile(totals.histogram, 0.50),
            p95_ms=percentile(totals.histogram, 0.95),
            p99_ms=percentile(totals.histogram, 0.99),
        ),
    )
