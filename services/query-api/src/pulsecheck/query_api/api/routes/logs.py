"""`/websites/{id}/ssl-logs` and `/websites/{id}/uptime-logs`: keyset pages, newest first."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter

from pulsecheck.query_api.api.deps import AccountDep, PoolDep, SettingsDep
from pulsecheck.query_api.api.errors import invalid, not_found
from pulsecheck.query_api.api.page_params import (
    CursorQuery,
    LimitQuery,
    RegionQuery,
    cursor_with_int_key,
    page_limit,
)
from pulsecheck.query_api.api.schemas.logs import (
    SslLogPublic,
    SslLogsPage,
    UptimeLogPublic,
    UptimeLogsPage,
)
from pulsecheck.read_model.pagination import CursorPosition, encode_cursor
from pulsecheck.read_model.storage.connection import Connection, Pool
from pulsecheck.read_model.storage.logs import LogQuery, ssl_log_page, uptime_log_page
from pulsecheck.read_model.storage.monitors import monitor_exists

router = APIRouter(prefix="/websites", tags=["logs"])


def _next_cursor(rows: list[dict[str, Any]], size: int) -> str | None:
    if len(rows) <= size:
        return None
    last = rows[size - 1]
    return encode_cursor(CursorPosition(last["checked_at"], str(last["id"])))


def _public_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "website_id": str(row["monitor_id"]), "timestamp": row["checked_at"]}


LogPage = Callable[[Connection, LogQuery], Awaitable[list[dict[str, Any]]]]


def _log_query(website_id: uuid.UUID, size: int, cursor: str | None, **filters: Any) -> LogQuery:
    """One more row than the page holds, so the last page is known without a count."""
    after = cursor_with_int_key(cursor)
    return LogQuery(
        website_id,
        size + 1,
        after_at=after[0].at if after else None,
        after_id=after[1] if after else None,
        **filters,
    )


async def _owned_rows(
    pool: Pool, account: uuid.UUID, website_id: uuid.UUID, query: LogQuery, page: LogPage
) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        if not await monitor_exists(conn, account, website_id):
            raise not_found("website")
        return await page(conn, query)


def _aware(moment: datetime | None, name: str) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        raise invalid(f"{name} needs a time zone, e.g. 2025-01-01T00:00:00Z", field=name)
    return moment


@router.get("/{website_id}/ssl-logs", response_model=SslLogsPage)
async def ssl_logs(
    website_id: uuid.UUID,
    account: AccountDep,
    pool: PoolDep,
    settings: SettingsDep,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
    is_valid: bool | None = None,
    region: RegionQuery = None,
) -> SslLogsPage:
    size = page_limit(limit, settings)
    query = _log_query(website_id, size, cursor, flag=is_valid, region=region)
    rows = await _owned_rows(pool, account, website_id, query, ssl_log_page)
    data = [SslLogPublic.model_validate(_public_fields(r)) for r in rows[:size]]
    return SslLogsPage(data=data, next_cursor=_next_cursor(rows, size))


@router.get("/{website_id}/uptime-logs", response_model=UptimeLogsPage)
async def uptime_logs(
    website_id: uuid.UUID,
    account: AccountDep,
    pool: PoolDep,
    settings: SettingsDep,
    limit: LimitQuery = None,
    cursor: CursorQuery = None,
    is_up: bool | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    region: RegionQuery = None,
) -> UptimeLogsPage:
    size = page_limit(limit, settings)
    query = _log_query(
        website_id,
        size,
        cursor,
        flag=is_up,
        since=_aware(since, "since"),
        until=_aware(until, "until"),
        region=region,
    )
    rows = await _owned_rows(pool, account, website_id, query, uptime_log_page)
    data = [UptimeLogPublic.model_validate(_public_fields(r)) for r in rows[:size]]
    return UptimeLogsPage(data=data, next_cursor=_next_cursor(rows, size))
