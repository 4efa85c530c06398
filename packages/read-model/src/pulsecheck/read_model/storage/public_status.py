"""What a public status page shows: its websites now, 90 daily uptime bars, incidents.

Three statements per page whatever its size; the page is cached by the web app.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pulsecheck.read_model.storage.connection import Connection


async def page_websites(conn: Connection, monitor_ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """The live websites among `monitor_ids`, in that order, with their spec and last check
    (the status is judged from the regions: `region_latest.with_overall_status`)."""
    cursor = await conn.execute(
        "SELECT m.id, m.name, m.spec, m.paused,"
        " s.last_checked_at FROM unnest(%s::uuid[]) WITH ORDINALITY AS p(id, n)"
        " JOIN monitors m ON m.id = p.id AND m.removed_at IS NULL"
        " LEFT JOIN monitor_status s ON s.monitor_id = m.id ORDER BY p.n",
        (monitor_ids,),
    )
    return await cursor.fetchall()


async def daily_uptime(
    conn: Connection, monitor_ids: list[uuid.UUID], first_day: datetime
) -> dict[uuid.UUID, dict[datetime, float]]:
    """Percent up per website and day from `first_day`; days without checks are absent."""
    cursor = await conn.execute(
        "SELECT monitor_id, bucket, round(100.0 * (up + degraded) / checks, 3)::float8 AS pct"
        " FROM uptime_rollups_daily"
        " WHERE monitor_id = ANY(%s) AND bucket >= %s AND checks > 0",
        (monitor_ids, first_day),
    )
    days: dict[uuid.UUID, dict[datetime, float]] = {}
    for row in await cursor.fetchall():
        days.setdefault(row["monitor_id"], {})[row["bucket"]] = float(row["pct"])
    return days


async def page_incidents(
    conn: Connection, monitor_ids: list[uuid.UUID], since: datetime, limit: int
) -> list[dict[str, Any]]:
    """Open incidents, then those opened since `since`, newest first."""
    cursor = await conn.execute(
        "SELECT i.monitor_id, m.name, i.kind, i.state, i.opened_at, i.resolved_at,"
        " i.duration_seconds FROM incidents i JOIN monitors m ON m.id = i.monitor_id"
        " WHERE i.monitor_id = ANY(%s) AND (i.state = 'open' OR i.opened_at >= %s)"
        " ORDER BY (i.state = 'open') DESC, i.opened_at DESC LIMIT %s",
        (monitor_ids, since, limit),
    )
    return await cursor.fetchall()
