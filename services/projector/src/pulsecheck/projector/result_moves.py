"""Staged results into their tables, with rollups and monitor status (overall and per region),
in one statement each.

Only rows that were really new (`ON CONFLICT … DO NOTHING` on the row's key, which holds the
partition key: (monitor_no, checked_at, id) for uptime, (event_id, checked_at) for TLS; and no
earlier row of the same event, which a re-run of the same request makes with a later
checked_at) reach the rollups and the status, so a replayed batch or request changes nothing.
PostgreSQL does the counting — per hour and per day, a latency histogram with
`latency_histogram.BOUNDS_MS` — so the projector's Python work per result is decoding and COPY,
and no inserted row travels back.
"""

from __future__ import annotations

from typing import Any

from pulsecheck.projector.result_rows import TLS_COLUMNS, TLS_TABLE, UPTIME_COLUMNS, UPTIME_TABLE
from pulsecheck.read_model.latency_histogram import BOUNDS_MS, BUCKETS
from pulsecheck.read_model.result_codes import CODE_PARAMETERS
from pulsecheck.read_model.storage.connection import Connection

# the slot of `bisect_left(BOUNDS_MS, latency)`, i.e. how many bounds lie below the latency:
# width_bucket counts the thresholds <= its operand, so count the bounds >= it, negated
LATENCY_SLOT = "%(bound_count)s::integer - width_bucket(-latency_ms, %(negated_bounds)s::float8[])"

# `{keys}`: what a bucket is counted per ("monitor_id" overall, "monitor_id, region" per region)
_ROLLUP = """
INSERT INTO {table} AS r ({keys}, bucket, account_id, checks, up, degraded, down,
                          latency_count, latency_sum, latency_histogram)
SELECT {keys}, date_trunc('{unit}', checked_at, 'UTC') AS b, (array_agg(account_id))[1],
       count(*), count(*) FILTER (WHERE outcome = 'up'),
       count(*) FILTER (WHERE outcome = 'degraded'),
       count(*) FILTER (WHERE outcome NOT IN ('up', 'degraded')),
       count(slot), coalesce(sum(latency_ms) FILTER (WHERE slot IS NOT NULL), 0),
       pulsecheck_histogram(slot, %(buckets)s::integer)
FROM measured GROUP BY {keys}, b
ON CONFLICT ({keys}, bucket) DO UPDATE SET
    checks = r.checks + excluded.checks, up = r.up + excluded.up,
    degraded = r.degraded + excluded.degraded, down = r.down + excluded.down,
    latency_count = r.latency_count + excluded.latency_count,
    latency_sum = r.latency_sum + excluded.latency_sum,
    latency_histogram = pulsecheck_add_counts(r.latency_histogram, excluded.latency_histogram)
"""


def _rollup(table: str, unit: str, keys: str = "monitor_id") -> str:
    return _ROLLUP.format(table=table, unit=unit, keys=keys)


_ROW_COLUMNS = (
    "id, checked_at, monitor_no, latency_ms, lead_ms, status_code, region_no, outcome, kind,"
    " error_kind, redirects, error, final_url"
)
# milliseconds from the schedule to the finish, clamped to what an integer holds
_LEAD_MS = (
    "least(greatest(round(extract(epoch FROM s.checked_at - s.scheduled_for) * 1000),"
    " -2147483648), 2147483647)"
)
# '' = the URL the check asked for (the monitor's): most rows need no copy of it
_FINAL_URL = (
    "CASE WHEN s.kind = 'http' AND s.redirects = 0 AND s.final_url IS NOT NULL THEN ''"
    " ELSE s.final_url END"
)

# numbers for monitors and regions seen for the first time; NOT EXISTS first, because a
# conflicting insert would still use up a number of the 4-byte (2-byte) sequence
NUMBER_NEW = """
WITH numbered AS (
    INSERT INTO monitor_numbers (monitor_id, account_id)
    SELECT DISTINCT s.monitor_id, s.account_id FROM uptime_results_stage s
    WHERE NOT EXISTS (SELECT 1 FROM monitor_numbers n WHERE n.monitor_id = s.monitor_id)
    ON CONFLICT DO NOTHING
)
INSERT INTO result_regions (region)
SELECT DISTINCT s.region FROM uptime_results_stage s
WHERE NOT EXISTS (SELECT 1 FROM result_regions g WHERE g.region = s.region)
ON CONFLICT DO NOTHING
"""

UPTIME_MOVE = f"""
WITH inserted AS (
    INSERT INTO uptime_result_rows ({_ROW_COLUMNS})
    SELECT s.id, s.checked_at, n.monitor_no, s.latency_ms, {_LEAD_MS}, s.status_code,
           g.region_no, array_position(%(outcomes)s::text[], s.outcome),
           array_position(%(check_kinds)s::text[], s.kind),
           array_position(%(error_kinds)s::text[], s.error_kind), s.redirects, s.error,
           {_FINAL_URL}
    FROM (
        -- an event delivered twice in one batch: the first (earliest) one counts
        SELECT DISTINCT ON (monitor_id, id) * FROM uptime_results_stage
        ORDER BY monitor_id, id, checked_at
    ) s
    JOIN monitor_numbers n ON n.monitor_id = s.monitor_id
    JOIN result_regions g ON g.region = s.region
    -- a prober killed between publishing a result and committing its request runs it again:
    -- the same event id (and scheduled_for) with a later checked_at, which the key (holding
    -- the partition key) cannot catch; the first one stored, between the schedule and this
    -- re-run (a short index range), wins
    WHERE NOT EXISTS (
        SELECT 1 FROM uptime_result_rows r
        WHERE r.monitor_no = n.monitor_no AND r.id = s.id
          AND r.checked_at >= s.scheduled_for AND r.checked_at < s.checked_at
    )
    ORDER BY s.checked_at
    ON CONFLICT (monitor_no, checked_at, id) DO NOTHING
    RETURNING monitor_no, region_no, checked_at, lead_ms, outcome, latency_ms, error
), decoded AS (
    -- the new rows in their readable shape, as the uptime_results view reads them back
    SELECT n.monitor_id, n.account_id, g.region, i.checked_at,
           i.checked_at - i.lead_ms * interval '1 millisecond' AS scheduled_for,
           (%(outcomes)s::text[])[i.outcome] AS outcome,
           i.latency_ms::numeric::float8 AS latency_ms, i.error
    FROM inserted i
    JOIN monitor_numbers n ON n.monitor_no = i.monitor_no
    JOIN result_regions g ON g.region_no = i.region_no
), measured AS (
    SELECT monitor_id, account_id, region, checked_at, outcome, latency_ms,
           CASE WHEN latency_ms IS NOT NULL AND outcome <> 'down' THEN {LATENCY_SLOT} END AS slot
    FROM decoded
), hourly AS ({_rollup("uptime_rollups_hourly", "hour")}
), daily AS ({_rollup("uptime_rollups_daily", "day")}
), region_hourly AS ({_rollup("uptime_region_rollups_hourly", "hour", "monitor_id, region")}
), region_daily AS ({_rollup("uptime_region_rollups_daily", "day", "monitor_id, region")}
), region_status AS (
    INSERT INTO monitor_region_status AS s (monitor_id, region, account_id, status, scheduled_for,
                                            last_checked_at, last_latency_ms, last_error)
    SELECT DISTINCT ON (monitor_id, region) monitor_id, region, account_id, outcome,
           scheduled_for, checked_at, latency_ms, error
    FROM decoded ORDER BY monitor_id, region, scheduled_for DESC, checked_at DESC
    ON CONFLICT (monitor_id, region) DO UPDATE SET
        status = excluded.status, scheduled_for = excluded.scheduled_for,
        last_checked_at = excluded.last_checked_at, last_latency_ms = excluded.last_latency_ms,
        last_error = excluded.last_error
    WHERE (s.scheduled_for, s.last_checked_at) < (excluded.scheduled_for, excluded.last_checked_at)
), status AS (
    INSERT INTO monitor_status AS s (monitor_id, account_id, status, last_checked_at,
                                     last_latency_ms, last_error)
    SELECT DISTINCT ON (monitor_id) monitor_id, account_id, outcome, checked_at, latency_ms, error
    FROM decoded ORDER BY monitor_id, checked_at DESC
    ON CONFLICT (monitor_id) DO UPDATE SET
        status = excluded.status, last_checked_at = excluded.last_checked_at,
        last_latency_ms = excluded.last_latency_ms, last_error = excluded.last_error
    WHERE s.last_checked_at IS NULL OR s.last_checked_at < excluded.last_checked_at
)
SELECT count(*) AS inserted FROM inserted
"""

_TLS_COLUMNS = ", ".join(TLS_COLUMNS)
TLS_MOVE = f"""
WITH inserted AS (
    INSERT INTO tls_results ({_TLS_COLUMNS})
    SELECT {_TLS_COLUMNS} FROM (
        SELECT DISTINCT ON (event_id) * FROM tls_results_stage ORDER BY event_id, checked_at
    ) s
    -- a re-run of the same request (a prober killed before committing it) has a later
    -- checked_at: the first one stored within the request's life (a day at most) wins
    WHERE NOT EXISTS (
        SELECT 1 FROM tls_results t
        WHERE t.event_id = s.event_id
          AND t.checked_at >= s.checked_at - interval '1 day' AND t.checked_at < s.checked_at
    )
    ORDER BY checked_at
    ON CONFLICT (event_id, checked_at) DO NOTHING
    RETURNING monitor_id, account_id, checked_at, valid_until, is_valid
), status AS (
    INSERT INTO monitor_status AS s (monitor_id, account_id, cert_checked_at, cert_expires_at,
                                     cert_valid)
    SELECT DISTINCT ON (monitor_id) monitor_id, account_id, checked_at, valid_until, is_valid
    FROM inserted ORDER BY monitor_id, checked_at DESC
    ON CONFLICT (monitor_id) DO UPDATE SET
        cert_checked_at = excluded.cert_checked_at, cert_expires_at = excluded.cert_expires_at,
        cert_valid = excluded.cert_valid
    WHERE s.cert_checked_at IS NULL OR s.cert_checked_at < excluded.cert_checked_at
)
SELECT count(*) AS inserted FROM inserted
"""

UPTIME_PARAMETERS: dict[str, Any] = {
    "bound_count": len(BOUNDS_MS),
    "negated_bounds": sorted(-float(bound) for bound in BOUNDS_MS),
    "buckets": BUCKETS,
    **CODE_PARAMETERS,
}


async def _move(conn: Connection, table: str, columns: tuple[str, ...],
                rows: list[tuple[Any, ...]], statements: tuple[str, ...],
                params: dict[str, Any] | None) -> int:  # fmt: skip
    async with conn.cursor() as cur:
        async with cur.copy(f"COPY {table}_stage ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                await copy.write_row(row)
        for statement in statements:
            await cur.execute(statement, params)
        counted = await cur.fetchone()
        await cur.execute(f"TRUNCATE {table}_stage")
    return int(counted["inserted"]) if counted else 0


async def move_uptime_results(conn: Connection, rows: list[tuple[Any, ...]]) -> int:
    """Insert the new rows, add them to the hourly and daily rollups and each monitor's
    status; the number of rows that were new."""
    return await _move(
        conn, UPTIME_TABLE, UPTIME_COLUMNS, rows, (NUMBER_NEW, UPTIME_MOVE), UPTIME_PARAMETERS
    )


async def move_tls_results(conn: Connection, rows: list[tuple[Any, ...]]) -> int:
    """Insert the new rows and update each monitor's certificate status; how many were new."""
    return await _move(conn, TLS_TABLE, TLS_COLUMNS, rows, (TLS_MOVE,), None)
