"""Statistics from rollups: the cost depends on the window, never on the history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pulsecheck.read_model.stats_windows import WindowPlan
from pulsecheck.read_model.storage.connection import Connection

_TOTALS = """
WITH r AS (
    SELECT checks, up, degraded, down, latency_count, latency_sum, latency_histogram
    FROM {table} WHERE monitor_id = %(monitor)s AND bucket >= %(first)s {in_region}
)
SELECT coalesce(sum(checks), 0) AS checks, coalesce(sum(up), 0) AS up,
       coalesce(sum(degraded), 0) AS degraded, coalesce(sum(down), 0) AS down,
       coalesce(sum(latency_count), 0) AS latency_count,
       coalesce(sum(latency_sum), 0) AS latency_sum,
       (SELECT array_agg(total ORDER BY i) FROM (
            SELECT i, sum(x) AS total
            FROM r, unnest(r.latency_histogram) WITH ORDINALITY AS t(x, i) GROUP BY i
       ) AS h) AS histogram,
       (SELECT count(*) FROM incidents
        WHERE monitor_id = %(monitor)s AND opened_at >= %(since)s {failing_in_region}) AS incidents
FROM r
"""


@dataclass(frozen=True)
class RollupTotals:
    checks: int
    up: int
    degraded: int
    down: int
    latency_count: int
    latency_sum: float
    histogram: list[int]
    incidents: int


async def rollup_totals(
    conn: Connection, monitor_id: uuid.UUID, plan: WindowPlan, region: str | None = None
) -> RollupTotals:
    """Every region's checks, or one region's; its incidents are those it was failing in."""
    if region is None:
        sql = _TOTALS.format(table=plan.table, in_region="", failing_in_region="")
    else:
        sql = _TOTALS.format(
            table=plan.region_table,
            in_region="AND region = %(region)s",
            failing_in_region="AND %(region)s = ANY(failing_regions)",
        )
    cursor = await conn.execute(
        sql,
        {"monitor": monitor_id, "first": plan.first_bucket, "since": plan.since, "region": region},
    )
    row = await cursor.fetchone()
    assert row is not None
    return RollupTotals(
        checks=int(row["checks"]),
        up=int(row["up"]),
        degraded=int(row["degraded"]),
        down=int(row["down"]),
        latency_count=int(row["latency_count"]),
        latency_sum=float(row["latency_sum"]),
        histogram=[int(x) for x in row["histogram"] or []],
        incidents=int(row["incidents"]),
    )
