"""Bulk upserts the projector makes from new results: rollups and each monitor's status."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pulsecheck.query_api.projector.rollups import RollupIncrement
from pulsecheck.query_api.storage.connection import Connection

ROLLUP_UPSERT = """
INSERT INTO {table} AS r (monitor_id, bucket, account_id, checks, up, degraded, down,
                          latency_count, latency_sum, latency_histogram)
SELECT m, b, a, c, u, d, dn, lc, ls, h::bigint[]
FROM unnest(%s::uuid[], %s::timestamptz[], %s::uuid[], %s::bigint[], %s::bigint[],
            %s::bigint[], %s::bigint[], %s::bigint[], %s::float8[], %s::text[])
     AS t(m, b, a, c, u, d, dn, lc, ls, h)
ON CONFLICT (monitor_id, bucket) DO UPDATE SET
    checks = r.checks + excluded.checks, up = r.up + excluded.up,
    degraded = r.degraded + excluded.degraded, down = r.down + excluded.down,
    latency_count = r.latency_count + excluded.latency_count,
    latency_sum = r.latency_sum + excluded.latency_sum,
    latency_histogram = pulsecheck_add_counts(r.latency_histogram, excluded.latency_histogram)
"""

UPTIME_STATUS = """
INSERT INTO monitor_status AS s (monitor_id, account_id, status, last_checked_at,
                                 last_latency_ms, last_error)
SELECT * FROM unnest(%s::uuid[], %s::uuid[], %s::text[], %s::timestamptz[], %s::float8[],
                     %s::text[])
ON CONFLICT (monitor_id) DO UPDATE SET
    status = excluded.status, last_checked_at = excluded.last_checked_at,
    last_latency_ms = excluded.last_latency_ms, last_error = excluded.last_error
WHERE s.last_checked_at IS NULL OR s.last_checked_at < excluded.last_checked_at
"""

CERT_STATUS = """
INSERT INTO monitor_status AS s (monitor_id, account_id, cert_checked_at, cert_expires_at,
                                 cert_valid)
SELECT * FROM unnest(%s::uuid[], %s::uuid[], %s::timestamptz[], %s::timestamptz[], %s::bool[])
ON CONFLICT (monitor_id) DO UPDATE SET
    cert_checked_at = excluded.cert_checked_at, cert_expires_at = excluded.cert_expires_at,
    cert_valid = excluded.cert_valid
WHERE s.cert_checked_at IS NULL OR s.cert_checked_at < excluded.cert_checked_at
"""


def _histogram_literal(counts: list[int]) -> str:
    return "{" + ",".join(str(c) for c in counts) + "}"


async def upsert_rollups(conn: Connection, table: str, increments: list[RollupIncrement]) -> None:
    if not increments:
        return
    await conn.execute(
        ROLLUP_UPSERT.format(table=table),
        (
            [i.monitor_id for i in increments],
            [i.bucket for i in increments],
            [i.account_id for i in increments],
            [i.checks for i in increments],
            [i.up for i in increments],
            [i.degraded for i in increments],
            [i.down for i in increments],
            [i.latency_count for i in increments],
            [i.latency_sum for i in increments],
            [_histogram_literal(i.histogram) for i in increments],
        ),
    )


def _latest(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The newest row per monitor (column 0: monitor id, column 2: checked_at)."""
    newest: dict[uuid.UUID, tuple[Any, ...]] = {}
    for row in rows:
        seen = newest.get(row[0])
        checked_at: datetime = row[2]
        if seen is None or seen[2] < checked_at:
            newest[row[0]] = row
    return list(newest.values())


async def upsert_uptime_status(conn: Connection, inserted: list[tuple[Any, ...]]) -> None:
    """`inserted`: (monitor_id, account_id, checked_at, outcome, latency_ms, error)."""
    latest = _latest(inserted)
    if not latest:
        return
    columns = list(zip(*latest, strict=True))
    await conn.execute(
        UPTIME_STATUS,
        (list(columns[0]), list(columns[1]), list(columns[3]), list(columns[2]),
         list(columns[4]), list(columns[5])),
    )  # fmt: skip


async def upsert_cert_status(conn: Connection, inserted: list[tuple[Any, ...]]) -> None:
    """`inserted`: (monitor_id, account_id, checked_at, valid_until, is_valid)."""
    latest = _latest(inserted)
    if not latest:
        return
    columns = list(zip(*latest, strict=True))
    await conn.execute(
        CERT_STATUS,
        (list(columns[0]), list(columns[1]), list(columns[2]), list(columns[3]),
         list(columns[4])),
    )  # fmt: skip
