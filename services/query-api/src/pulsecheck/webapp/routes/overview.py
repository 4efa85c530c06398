"""`/`: every website of the account, sortable and filterable by query parameters."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.query_api.api.schemas.monitors import MonitorStatus
from pulsecheck.read_model.storage.monitors import MonitorFilters
from pulsecheck.read_model.storage.overview import OVERVIEW_SORTS, overview_rows
from pulsecheck.webapp.identity import PageError, ViewerDep
from pulsecheck.webapp.pages import render

router = APIRouter(include_in_schema=False)

HEARTBEATS = 30
STATUSES: tuple[str, ...] = get_args(MonitorStatus)


def days_left(expires_at: datetime | None, now: datetime) -> int | None:
    """Whole days until the certificate expires; negative once it has."""
    if expires_at is None:
        return None
    return (expires_at - now) // timedelta(days=1)


def _with_days_left(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {**row, "cert_days_left": days_left(row["cert_expires_at"], now)}


@router.get("/")
async def overview(
    request: Request,
    me: ViewerDep,
    context: ContextDep,
    q: Annotated[str, Query(max_length=200)] = "",
    status: str = "",
    sort: str = "status",
) -> HTMLResponse:
    # unknown values are ignored, not refused: these come from links people share
    chosen_sort = sort if sort in OVERVIEW_SORTS else "status"
    filters = MonitorFilters(status=status if status in STATUSES else None, q=q or None)
    now = context.clock()
    async with context.pool.connection() as conn:
        rows = await overview_rows(
            conn, me.account_id, filters, chosen_sort, now - timedelta(hours=24), HEARTBEATS,
            (context.settings.min_interval_seconds, now),
        )  # fmt: skip
    websites = [_with_days_left(row, now) for row in rows]
    return render(
        request, "overview.html", me, websites=websites, q=q, status=filters.status or "",
        sort=chosen_sort, sorts=OVERVIEW_SORTS, statuses=STATUSES,
    )  # fmt: skip


@router.get("/monitors/{monitor_id}/row")
async def overview_row(
    monitor_id: uuid.UUID, request: Request, me: ViewerDep, context: ContextDep
) -> HTMLResponse:
    """One row of the overview, for a live page to swap in when its website changed."""
    now = context.clock()
    async with context.pool.connection() as conn:
        rows = await overview_rows(
            conn, me.account_id, MonitorFilters(), "name", now - timedelta(hours=24), HEARTBEATS,
            (context.settings.min_interval_seconds, now), only=monitor_id,
        )  # fmt: skip
    if not rows:
        raise PageError(404, "No such website in this account.")
    return render(request, "overview_row.html", me, w=_with_days_left(rows[0], now))
