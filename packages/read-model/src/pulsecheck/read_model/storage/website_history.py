"""One website's history for its page: latency per bucket, uptime per window and region,
notifications beside its incidents, and the raw checks of a window for a CSV export."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

from psycopg.rows import tuple_row

from pulsecheck.read_model.result_codes import (
    CODE_PARAMETERS,
    ERROR_KIND_TEXT,
    KIND_TEXT,
    OUTCOME_TEXT,
)
from pulsecheck.read_model.stats_windows import WindowPlan
from pulsecheck.read_model.storage.connection import Connection

UPTIME_WINDOWS: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "90d": timedelta(days=90),
}

CSV_COLUMNS = (
    "checked_at", "region", "kind", "outcome", "status_code", "latency_ms", "error_kind", "error",
)  # fmt: skip


async def latency_buckets(
    conn: Connection, monitor_id: uuid.UUID, plan: WindowPlan
) -> list[dict[str, Any]]:
    """Each rollup bucket of the window, oldest first, with its latency histogram."""
    cursor = await conn.execute(
        f"SELECT bucket, checks, up + degraded AS ok, latency_histogram FROM {plan.table}"
        " WHERE monitor_id = %s AND bucket >= %s ORDER BY bucket",
        (monitor_id, plan.first_bucket),
    )
    return await cursor.fetchall()


async def uptime_by_window(
    conn: Connection, monitor_id: uuid.UUID, now: datetime
) -> dict[str, float | None]:
    """Percent up per window from the rollups (hourly for short windows, daily for long)."""
    parts = []
    params: dict[str, Any] = {"monitor": monitor_id}
    for name, length in UPTIME_WINDOWS.items():
        table, unit = _rollups_for(length, "uptime_rollups")
        params[name] = now - length
        parts.append(
            f"(SELECT round(100.0 * sum(up + degraded) / nullif(sum(checks), 0), 3)::float8"
            f" FROM {table} WHERE monitor_id = %(monitor)s"
            f" AND bucket >= date_trunc('{unit}', %({name})s::timestamptz)) AS \"{name}\""
        )
    cursor = await conn.execute("SELECT " + ", ".join(parts), params)
    row = await cursor.fetchone()
    assert row is not None
    return {name: row[name] for name in UPTIME_WINDOWS}


async def uptime_by_region(
    conn: Connection, monitor_id: uuid.UUID, now: datetime
) -> dict[str, dict[str, float | None]]:
    """Percent up per region and window, from the per-region rollups."""
    parts = []
    params: dict[str, Any] = {"monitor": monitor_id}
    for name, length in UPTIME_WINDOWS.items():
        table, unit = _rollups_for(length, "uptime_region_rollups")
        params[name] = now - length
        parts.append(
            f"SELECT region, '{name}' AS window_name,"
            " round(100.0 * sum(up + degraded) / nullif(sum(checks), 0), 3)::float8 AS percent"
            f" FROM {table} WHERE monitor_id = %(monitor)s"
            f" AND bucket >= date_trunc('{unit}', %({name})s::timestamptz) GROUP BY region"
        )
    cursor = await conn.execute(" UNION ALL ".join(parts), params)
    found: dict[str, dict[str, float | None]] = {}
    for row in await cursor.fetchall():
        windows = found.setdefault(row["region"], dict.fromkeys(UPTIME_WINDOWS))
        windows[row["window_name"]] = row["percent"]
    return dict(sorted(found.items()))


def _rollups_for(length: timedelta, prefix: str) -> tuple[str, str]:
    """Hourly rollups for short windows, daily for long: the table and its bucket unit."""
    return (
        (f"{prefix}_hourly", "hour") if length <= timedelta(days=7) else (f"{prefix}_daily", "day")
    )


async def notifications_since(
    conn: Connection, account_id: uuid.UUID, monitor_id: uuid.UUID, since: datetime, limit: int
) -> list[dict[str, Any]]:
    """The website's delivery attempts since `since`, oldest first (an incident's timeline)."""
    cursor = await conn.execute(
        "SELECT at, channel_kind, trigger_type, attempt, outcome, error FROM notifications"
        " WHERE account_id = %s AND monitor_id = %s AND at >= %s ORDER BY at, id LIMIT %s",
        (account_id, monitor_id, since, limit),
    )
    return await cursor.fetchall()


async def checks_for_export(
    conn: Connection, monitor_id: uuid.UUID, since: datetime, limit: int
) -> AsyncIterator[tuple[Any, ...]]:
    """The window's raw checks, oldest first, streamed row by row (never all in memory)."""
    cursor = conn.cursor(row_factory=tuple_row)
    # the narrow rows through their key, decoded in CSV_COLUMNS order
    sql = (
        f"SELECT r.checked_at, g.region, {KIND_TEXT}, {OUTCOME_TEXT},"
        " r.status_code::integer, r.latency_ms::numeric::float8,"
        f" {ERROR_KIND_TEXT}, r.error"
        " FROM uptime_result_rows r JOIN result_regions g ON g.region_no = r.region_no"
        " WHERE r.monitor_no = (SELECT monitor_no FROM monitor_numbers"
        "                       WHERE monitor_id = %(monitor)s)"
        " AND r.checked_at >= %(since)s ORDER BY r.checked_at, r.id LIMIT %(limit)s"
    )
    params = {**CODE_PARAMETERS, "monitor": monitor_id, "since": since, "limit": limit}
    async for row in cursor.stream(sql, params):
        yield row
