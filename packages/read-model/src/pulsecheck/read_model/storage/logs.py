"""Pages of raw check results: keyset on (checked_at, id), newest first, never OFFSET.

Uptime pages read the narrow `uptime_result_rows` through its key (monitor_no, checked_at, id)
and decode the codes on the way out, so a page costs one index range scan.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pulsecheck.read_model.result_codes import (
    CODE_PARAMETERS,
    ERROR_KIND_TEXT,
    IS_UP,
    KIND_TEXT,
    OUTCOME_TEXT,
)
from pulsecheck.read_model.storage.connection import Connection

SSL_COLUMNS = """id, monitor_id, checked_at, valid_until, issuer, is_valid, error, error_kind,
    days_remaining, valid_from, subject, issuer_organization, sans, fingerprint_sha256,
    chain_earliest_expiry, hostname_match, self_signed, tls_version, needs_renewal, region"""

# float4 -> numeric -> float8 gives back the shortest decimal (12.3, not 12.300000190734863)
UPTIME_COLUMNS = f"""r.id, %(monitor)s::uuid AS monitor_id, r.checked_at, {IS_UP} AS is_up,
    {OUTCOME_TEXT} AS outcome, r.status_code::integer AS status_code,
    r.latency_ms::numeric::float8 AS latency_ms, r.error, {ERROR_KIND_TEXT} AS error_kind,
    g.region, {KIND_TEXT} AS kind,
    CASE WHEN r.final_url = '' THEN (SELECT url FROM monitors WHERE id = %(monitor)s)
         ELSE r.final_url END AS final_url, r.redirects::integer AS redirects"""
UPTIME_FROM = """uptime_result_rows r JOIN result_regions g ON g.region_no = r.region_no"""
UPTIME_MONITOR = (
    "r.monitor_no = (SELECT monitor_no FROM monitor_numbers WHERE monitor_id = %(monitor)s)"
)
# the region's number, so the filter stays on the narrow row's own column
UPTIME_REGION = "r.region_no = (SELECT region_no FROM result_regions WHERE region = %(region)s)"


@dataclass(frozen=True)
class LogQuery:
    monitor_id: uuid.UUID
    limit: int
    after_at: datetime | None = None
    after_id: int | None = None
    flag: bool | None = None
    since: datetime | None = None
    until: datetime | None = None
    region: str | None = None


async def _page(
    conn: Connection,
    source: str,
    columns: str,
    monitor: str,
    flag: str,
    region: str,
    query: LogQuery,
    extra: dict[str, Any],
    alias: str,
) -> list[dict[str, Any]]:
    """`alias` prefixes the page's own columns (`r.` or nothing)."""
    where = [monitor]
    params: dict[str, Any] = {"monitor": query.monitor_id, "limit": query.limit, **extra}
    if query.flag is not None:
        where.append(f"{flag} = %(flag)s")
        params["flag"] = query.flag
    if query.region is not None:
        where.append(region)
        params["region"] = query.region
    if query.since is not None:
        where.append(f"{alias}checked_at >= %(since)s")
        params["since"] = query.since
    if query.until is not None:
        where.append(f"{alias}checked_at < %(until)s")
        params["until"] = query.until
    if query.after_at is not None and query.after_id is not None:
        where.append(f"({alias}checked_at, {alias}id) < (%(after_at)s, %(after_id)s)")
        params["after_at"] = query.after_at
        params["after_id"] = query.after_id
    sql = (
        f"SELECT {columns} FROM {source} WHERE "
        + " AND ".join(where)
        + f" ORDER BY {alias}checked_at DESC, {alias}id DESC LIMIT %(limit)s"
    )
    cursor = await conn.execute(sql, params)
    return await cursor.fetchall()


async def ssl_log_page(conn: Connection, query: LogQuery) -> list[dict[str, Any]]:
    return await _page(
        conn, "tls_results", SSL_COLUMNS, "monitor_id = %(monitor)s", "is_valid",
        "region = %(region)s", query, {}, "",
    )  # fmt: skip


async def uptime_log_page(conn: Connection, query: LogQuery) -> list[dict[str, Any]]:
    return await _page(
        conn, UPTIME_FROM, UPTIME_COLUMNS, UPTIME_MONITOR, IS_UP, UPTIME_REGION, query,
        CODE_PARAMETERS, "r.",
    )  # fmt: skip
