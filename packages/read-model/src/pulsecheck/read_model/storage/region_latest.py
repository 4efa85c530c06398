"""Each region's latest uptime result per monitor, as the projector keeps it."""

from __future__ import annotations

import uuid
from collections import defaultdict

from pulsecheck.read_model.region_status import RegionLatest
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
