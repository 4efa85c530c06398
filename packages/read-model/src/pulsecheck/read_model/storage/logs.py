"""Pages of raw check results: keyset on (checked_at, id), newest first, never OFFSET."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pulsecheck.read_model.storage.connection import Connection

SSL_COLUMNS = """id, monitor_id, checked_at, valid_until, issuer, is_valid, error, error_kind,
    days_remaining, valid_from, subject, issuer_organization, sans, fingerprint_sha256,
    chain_earliest_expiry, hostname_match, self_signed, tls_version, needs_renewal, region"""

UPTIME_COLUMNS = """id, monitor_id, checked_at, is_up, outcome, status_code, latency_ms, error,
    error_kind, region, kind, final_url, redirects"""


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
    conn: Connection, table: str, columns: str, flag_column: str, query: LogQuery
) -> list[dict[str, Any]]:
    where = ["monitor_id = %(monitor)s"]
    params: dict[str, Any] = {"monitor": query.monitor_id, "limit": query.limit}
    if query.flag is not None:
        where.append(f"{flag_column} = %(flag)s")
        params["flag"] = query.flag
    if query.region is not None:
        where.append("region = %(region)s")
        params["region"] = query.region
    if query.since is not None:
        where.append("checked_at >= %(since)s")
        params["since"] = query.since
    if query.until is not None:
        where.append("checked_at < %(until)s")
        params["until"] = query.until
    if query.after_at is not None and query.after_id is not None:
        where.append("(checked_at, id) < (%(after_at)s, %(after_id)s)")
        params["after_at"] = query.after_at
        params["after_id"] = query.after_id
    sql = (
        f"SELECT {columns} FROM {table} WHERE "
        + " AND ".join(where)
        + " ORDER BY checked_at DESC, id DESC LIMIT %(limit)s"
    )
    cursor = await conn.execute(sql, params)
    return await cursor.fetchall()


async def ssl_log_page(conn: Connection, query: LogQuery) -> list[dict[str, Any]]:
    return await _page(conn, "tls_results", SSL_COLUMNS, "is_valid", query)


async def uptime_log_page(conn: Connection, query: LogQuery) -> list[dict[str, Any]]:
    return await _page(conn, "uptime_results", UPTIME_COLUMNS, "is_up", query)
