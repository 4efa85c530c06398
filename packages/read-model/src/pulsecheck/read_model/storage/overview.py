"""The account's overview: every monitor with its status, 24 h uptime and last few checks.

One statement for the whole page: the uptime comes from the hourly rollups and the strip
from the newest raw results, each through a lateral join bounded by an index. The status is
the overall one of the regions (`region_status`), judged at `now`, so the status filter and
sort apply after it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal, get_args

from pulsecheck.read_model.result_codes import OUTCOMES
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.read_model.storage.monitors import MonitorFilters, _like_pattern
from pulsecheck.read_model.storage.region_latest import with_overall_status

OverviewSort = Literal["name", "status", "uptime", "certificate", "checked"]
OVERVIEW_SORTS: tuple[OverviewSort, ...] = get_args(OverviewSort)

# down first when sorting by status: what needs a look comes to the top
STATUS_ORDER = ("down", "degraded", "unknown", "up")

_ORDER: dict[OverviewSort, str] = {
    "name": "lower(m.name), m.id",
    # by name here; by the judged status after (`overview_rows`)
    "status": "lower(m.name), m.id",
    "uptime": "uptime_24h ASC NULLS LAST, lower(m.name)",
    "certificate": "s.cert_expires_at ASC NULLS LAST, lower(m.name)",
    "checked": "s.last_checked_at DESC NULLS LAST, lower(m.name)",
}

_SELECT = """
SELECT m.id, m.name, m.url, m.paused, m.created_at, m.spec,
       s.last_checked_at, s.last_latency_ms, s.last_error, s.cert_expires_at, s.cert_valid,
       CASE WHEN u.checks > 0 THEN round(100.0 * u.ok / u.checks, 3)::float8 END AS uptime_24h,
       coalesce(b.beats, '[]'::json) AS beats
FROM monitors m
LEFT JOIN monitor_status s ON s.monitor_id = m.id
LEFT JOIN LATERAL (
    SELECT sum(h.up + h.degraded) AS ok, sum(h.checks) AS checks FROM uptime_rollups_hourly h
    WHERE h.monitor_id = m.id AND h.bucket >= date_trunc('hour', %(since)s::timestamptz)
) u ON true
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('outcome', (%(outcomes)s::text[])[r.outcome],
                                      'at', r.checked_at,
                                      'latency_ms', r.latency_ms::numeric::float8)
                    ORDER BY r.checked_at) AS beats
    FROM (SELECT outcome, checked_at, latency_ms FROM uptime_result_rows
          WHERE monitor_no = (SELECT monitor_no FROM monitor_numbers WHERE monitor_id = m.id)
          ORDER BY checked_at DESC, id DESC LIMIT %(beats)s) r
) b ON true
"""


async def overview_rows(
    conn: Connection,
    account_id: uuid.UUID,
    filters: MonitorFilters,
    sort: OverviewSort,
    since: datetime,
    beats: int,
    judging: tuple[int, datetime],
    only: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """The overview's rows; `judging`: the scheduler's minimum interval and `now`, to judge
    each status by; `only` narrows it to one website (a live page swapping its row)."""
    where = ["m.account_id = %(account)s", "m.removed_at IS NULL"]
    params: dict[str, Any] = {
        "account": account_id,
        "since": since,
        "beats": beats,
        "outcomes": list(OUTCOMES),
    }
    if only is not None:
        where.append("m.id = %(only)s")
        params["only"] = only
    if filters.active is not None:
        where.append("m.paused = %(paused)s")
        params["paused"] = not filters.active
    if filters.q:
        where.append("(m.name ILIKE %(q)s OR m.url ILIKE %(q)s)")
        params["q"] = _like_pattern(filters.q)
    query = _SELECT + " WHERE " + " AND ".join(where) + " ORDER BY " + _ORDER[sort]
    cursor = await conn.execute(query, params)
    rows = await with_overall_status(conn, await cursor.fetchall(), *judging)
    if filters.status is not None:
        rows = [row for row in rows if row["status"] == filters.status]
    if sort == "status":
        # stable: by name within a status, as the query ordered them
        rows.sort(key=lambda row: STATUS_ORDER.index(row["status"]))
    return rows


async def uptime_percents_since(
    conn: Connection, monitor_ids: list[uuid.UUID], since: datetime
) -> dict[uuid.UUID, float]:
    """Percent of checks up (degraded counts as up) per monitor; monitors with none are absent."""
    if not monitor_ids:
        return {}
    cursor = await conn.execute(
        "SELECT monitor_id, round(100.0 * sum(up + degraded) / sum(checks), 3)::float8 AS pct"
        " FROM uptime_rollups_hourly"
        " WHERE monitor_id = ANY(%s) AND bucket >= date_trunc('hour', %s::timestamptz)"
        " GROUP BY monitor_id HAVING sum(checks) > 0",
        (monitor_ids, since),
    )
    return {row["monitor_id"]: float(row["pct"]) for row in await cursor.fetchall()}
