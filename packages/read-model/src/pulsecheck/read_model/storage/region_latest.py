"""Each region's latest uptime result per monitor, and the status they make at `now`."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pulsecheck.read_model.region_status import (
    RegionLatest,
    RegionRules,
    StatusByRegion,
    status_by_region,
)
from pulsecheck.read_model.storage.connection import Connection


async def latest_by_region(
    conn: Connection, monitor_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[RegionLatest]]:
    """Monitors with no result yet are absent."""
    if not monitor_ids:
        return {}
    cursor = await conn.execute(
        "SELECT monitor_id, region, status, last_checked_at, scheduled_for"
        " FROM monitor_region_status WHERE monitor_id = ANY(%s) ORDER BY monitor_id, region",
        (monitor_ids,),
    )
    found: dict[uuid.UUID, list[RegionLatest]] = defaultdict(list)
    for row in await cursor.fetchall():
        found[row["monitor_id"]].append(
            RegionLatest(row["region"], row["status"], row["last_checked_at"], row["scheduled_for"])
        )
    return dict(found)


async def statuses_of(
    conn: Connection,
    monitors: Sequence[Mapping[str, Any]],
    min_interval_seconds: int,
    now: datetime,
) -> dict[uuid.UUID, StatusByRegion]:
    """Each monitor row's (`id`, `spec`) status per region and overall, judged at `now`."""
    latest = await latest_by_region(conn, [m["id"] for m in monitors])
    return {
        m["id"]: status_by_region(
            latest.get(m["id"], []), RegionRules.of_spec(m["spec"], min_interval_seconds), now
        )
        for m in monitors
    }


async def with_overall_status(
    conn: Connection,
    rows: Sequence[dict[str, Any]],
    min_interval_seconds: int,
    now: datetime,
) -> list[dict[str, Any]]:
    """The rows (`id`, `spec`) with `status` replaced by the overall status their regions make
    at `now` (`status_by_region`), never the newest result of whichever region spoke last."""
    judged = await statuses_of(conn, rows, min_interval_seconds, now)
    return [{**row, "status": judged[row["id"]].overall} for row in rows]
