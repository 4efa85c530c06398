"""Reads of monitors, always scoped to one account; removed monitors are invisible."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pulsecheck.read_model.pagination import CursorPosition
from pulsecheck.read_model.storage.connection import Connection

SELECT_MONITOR = """
SELECT m.id, m.account_id, m.spec, m.version, m.created_at, m.updated_at,
       coalesce(s.status, 'unknown') AS status, s.last_checked_at, s.last_latency_ms,
       s.last_error, s.cert_expires_at, s.cert_valid
FROM monitors m LEFT JOIN monitor_status s ON s.monitor_id = m.id
"""


@dataclass(frozen=True)
class MonitorFilters:
    active: bool | None = None
    status: str | None = None
    q: str | None = None


async def get_monitor(
    conn: Connection, account_id: uuid.UUID, monitor_id: uuid.UUID
) -> dict[str, Any] | None:
    cursor = await conn.execute(
        SELECT_MONITOR + " WHERE m.id = %s AND m.account_id = %s AND m.removed_at IS NULL",
        (monitor_id, account_id),
    )
    return await cursor.fetchone()


async def monitor_exists(conn: Connection, account_id: uuid.UUID, monitor_id: uuid.UUID) -> bool:
    cursor = await conn.execute(
        "SELECT 1 FROM monitors WHERE id = %s AND account_id = %s AND removed_at IS NULL",
        (monitor_id, account_id),
    )
    return await cursor.fetchone() is not None


async def monitor_with_url(conn: Connection, account_id: uuid.UUID, url: str) -> uuid.UUID | None:
    cursor = await conn.execute(
        "SELECT id FROM monitors WHERE account_id = %s AND url = %s AND removed_at IS NULL",
        (account_id, url),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    found: uuid.UUID = row["id"]
    return found


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def list_monitors(
    conn: Connection,
    account_id: uuid.UUID,
    filters: MonitorFilters,
    after: CursorPosition | None,
    after_id: uuid.UUID | None,
    limit: int,
) -> list[dict[str, Any]]:
    """A page of monitors, newest first; `filters.status` is not applied here: the overall
    status is judged at read time from the regions' results (`storage.region_latest`)."""
    where = ["m.account_id = %(account)s", "m.removed_at IS NULL"]
    params: dict[str, Any] = {"account": account_id, "limit": limit}
    if filters.active is not None:
        where.append("m.paused = %(paused)s")
        params["paused"] = not filters.active
    if filters.q:
        where.append("(m.name ILIKE %(q)s OR m.url ILIKE %(q)s)")
        params["q"] = _like_pattern(filters.q)
    if after is not None and after_id is not None:
        where.append("(m.created_at, m.id) < (%(after_at)s, %(after_id)s)")
        params["after_at"] = after.at
        params["after_id"] = after_id
    query = (
        SELECT_MONITOR
        + " WHERE "
        + " AND ".join(where)
        + " ORDER BY m.created_at DESC, m.id DESC LIMIT %(limit)s"
    )
    cursor = await conn.execute(query, params)
    return await cursor.fetchall()


async def uptime_percent_since(
    conn: Connection, monitor_id: uuid.UUID, since: datetime
) -> float | None:
    cursor = await conn.execute(
        "SELECT sum(up + degraded) AS ok, sum(checks) AS checks FROM uptime_rollups_hourly"
        " WHERE monitor_id = %s AND bucket >= date_trunc('hour', %s::timestamptz)",
        (monitor_id, since),
    )
    row = await cursor.fetchone()
    if row is None or not row["checks"]:
        return None
    return round(100.0 * float(row["ok"]) / float(row["checks"]), 3)


async def active_channel_ids(
    conn: Connection, account_id: uuid.UUID, channel_ids: list[str]
) -> set[str]:
    valid: list[uuid.UUID] = []
    for text in channel_ids:
        try:
            valid.append(uuid.UUID(text))
        except ValueError:
            continue
    if not valid:
        return set()
    cursor = await conn.execute(
        "SELECT id FROM channels WHERE account_id = %s AND id = ANY(%s) AND removed_at IS NULL",
        (account_id, valid),
    )
    return {str(row["id"]) for row in await cursor.fetchall()}
