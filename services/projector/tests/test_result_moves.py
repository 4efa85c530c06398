"""Moving staged results: rows, hourly and daily rollups and status (overall and per region),
counted in PostgreSQL."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from pulsecheck.projector.result_moves import (
    LATENCY_SLOT,
    UPTIME_PARAMETERS,
    move_tls_results,
    move_uptime_results,
)
from pulsecheck.projector.result_rows import result_row
from pulsecheck.projector.writer import prepare_staging
from pulsecheck.read_model.event_ids import event_uuid
from pulsecheck.read_model.latency_histogram import BOUNDS_MS, BUCKETS, bucket_index
from pulsecheck.read_model.storage.connection import Connection, connect

pytestmark = pytest.mark.postgres


@pytest.fixture
async def conn(query_database_url: str) -> AsyncIterator[Connection]:
    opened = await connect(query_database_url, autocommit=True)
    await prepare_staging(opened)
    yield opened
    await opened.close()


def _rows(envelopes: list[Any]) -> list[tuple[Any, ...]]:
    return [result_row(event_uuid(e.id), e.data).values for e in envelopes]


async def test_the_sql_latency_slot_is_the_python_bucket_index(conn: Connection) -> None:
    edges = [float(bound) for bound in BOUNDS_MS]
    latencies = [0.0, 0.5, *edges, *(edge + 0.001 for edge in edges), 59_999.9, 1e9]
    cursor = await conn.execute(
        f"SELECT latency_ms, {LATENCY_SLOT} AS slot"
        " FROM unnest(%(values)s::float8[]) AS t(latency_ms)",
        {**UPTIME_PARAMETERS, "values": latencies},
    )
    found = {row["latency_ms"]: row["slot"] for row in await cursor.fetchall()}
    assert found == {latency: bucket_index(latency) for latency in latencies}


async def test_new_results_add_up_per_hour_and_day_once(conn: Connection, event_factory) -> None:
    monitor, account = str(uuid.uuid4()), str(uuid.uuid4())
    # minutes 5 and 55 of the first hour, minute 0 of the second (latency 20 + n ms)
    checks = [
        event_factory.uptime(monitor, account, 5, "up"),
        event_factory.uptime(monitor, account, 55, "down"),
        event_factory.uptime(monitor, account, 60, "degraded"),
    ]
    for attempt in range(2):
        async with conn.transaction():
            moved = await move_uptime_results(conn, _rows(checks))
        assert moved == (3 if attempt == 0 else 0)

    cursor = await conn.execute(
        "SELECT extract(hour FROM bucket AT TIME ZONE 'UTC') AS hour, checks, up, down, degraded,"
        " latency_count, latency_sum, latency_histogram FROM uptime_rollups_hourly"
        " WHERE monitor_id = %s ORDER BY bucket",
        (monitor,),
    )
    hourly = await cursor.fetchall()
    assert [(int(h["hour"]), h["checks"], h["up"], h["down"], h["degraded"]) for h in hourly] == [
        (0, 2, 1, 1, 0),
        (1, 1, 0, 0, 1),
    ]
    expected_first = [0] * BUCKETS
    expected_first[bucket_index(25.0)] = 1
    assert hourly[0]["latency_histogram"] == expected_first
    cursor = await conn.execute(
        "SELECT checks, latency_count, latency_sum, latency_histogram"
        " FROM uptime_rollups_daily WHERE monitor_id = %s",
        (monitor,),
    )
    daily = await cursor.fetchall()
    assert len(daily) == 1
    assert (daily[0]["checks"], daily[0]["latency_count"], daily[0]["latency_sum"]) == (3, 2, 105)
    assert sum(daily[0]["latency_histogram"]) == 2
    cursor = await conn.execute(
        "SELECT status, last_latency_ms FROM monitor_status WHERE monitor_id = %s", (monitor,)
    )
    assert await cursor.fetchone() == {"status": "degraded", "last_latency_ms": 80.0}


async def test_each_region_has_its_own_rollups_and_latest_status(
    conn: Connection, event_factory
) -> None:
    monitor, account = str(uuid.uuid4()), str(uuid.uuid4())
    eu = [event_factory.uptime(monitor, account, n, "up") for n in (1, 2)]
    us = [event_factory.uptime(monitor, account, n, "down", "us") for n in (1, 2)]
    for attempt in range(2):
        async with conn.transaction():
            assert await move_uptime_results(conn, _rows(eu + us)) == (4 if attempt == 0 else 0)
    # a late result, scheduled before the newest, changes the rollups but not the status
    late = event_factory.uptime(monitor, account, 0, "up", "us")
    async with conn.transaction():
        await move_uptime_results(conn, _rows([late]))

    for table in ("uptime_region_rollups_hourly", "uptime_region_rollups_daily"):
        cursor = await conn.execute(
            f"SELECT region, checks, up, down, latency_count FROM {table}"
            " WHERE monitor_id = %s ORDER BY region",
            (monitor,),
        )
        assert await cursor.fetchall() == [
            {"region": "eu", "checks": 2, "up": 2, "down": 0, "latency_count": 2},
            {"region": "us", "checks": 3, "up": 1, "down": 2, "latency_count": 1},
        ], table
    cursor = await conn.execute(
        "SELECT checks FROM uptime_rollups_hourly WHERE monitor_id = %s", (monitor,)
    )
    assert await cursor.fetchone() == {"checks": 5}
    cursor = await conn.execute(
        "SELECT region, status, scheduled_for FROM monitor_region_status WHERE monitor_id = %s"
        " ORDER BY region",
        (monitor,),
    )
    assert await cursor.fetchall() == [
        {"region": "eu", "status": "up", "scheduled_for": eu[1].data.scheduled_for},
        {"region": "us", "status": "down", "scheduled_for": us[1].data.scheduled_for},
    ]


async def test_a_batch_of_down_checks_has_an_empty_histogram(
    conn: Connection, event_factory
) -> None:
    monitor, account = str(uuid.uuid4()), str(uuid.uuid4())
    async with conn.transaction():
        await move_uptime_results(conn, _rows([event_factory.uptime(monitor, account, 1, "down")]))
    cursor = await conn.execute(
        "SELECT latency_count, latency_histogram FROM uptime_rollups_hourly WHERE monitor_id = %s",
        (monitor,),
    )
    assert await cursor.fetchone() == {"latency_count": 0, "latency_histogram": [0] * BUCKETS}


async def test_certificate_status_follows_the_newest_tls_result(
    conn: Connection, event_factory
) -> None:
    monitor, account = str(uuid.uuid4()), str(uuid.uuid4())
    newest, older = (
        event_factory.tls(monitor, account, 2, valid=False),
        event_factory.tls(monitor, account, 1),
    )
    async with conn.transaction():
        assert await move_tls_results(conn, _rows([newest, older])) == 2
    async with conn.transaction():
        assert await move_tls_results(conn, _rows([older])) == 0
    cursor = await conn.execute(
        "SELECT cert_valid, cert_checked_at FROM monitor_status WHERE monitor_id = %s", (monitor,)
    )
    status = await cursor.fetchone()
    assert status is not None
    assert status["cert_valid"] is False
    assert status["cert_checked_at"] == newest.data.finished_at


@pytest.mark.parametrize(
    ("left", "right", "total"),
    [
        ([1, 0, 2], [0, 5, 1], [1, 5, 3]),
        ([1, 2], [1, 1, 1], [2, 3, 1]),
        ([1, 2, 3], [1], [2, 2, 3]),
        (None, [4], [4]),
        ([4], None, [4]),
    ],
)
async def test_histograms_merge_element_wise(
    conn: Connection, left: list[int] | None, right: list[int] | None, total: list[int]
) -> None:
    cursor = await conn.execute(
        "SELECT pulsecheck_add_counts(%s::bigint[], %s::bigint[]) AS total", (left, right)
    )
    assert await cursor.fetchone() == {"total": total}


def _rerun(envelope: Any, later: timedelta, outcome: str) -> Any:
    """The same event (id, request, scheduled_for) from a re-run of its request: a prober killed
    between publishing and committing checks again and publishes under the same event id."""
    data = envelope.data.model_copy(
        update={"finished_at": envelope.data.finished_at + later, "outcome": outcome}
    )
    return dataclasses.replace(envelope, data=data)


async def test_a_rerun_request_is_stored_once_whenever_it_finished(
    conn: Connection, event_factory
) -> None:
    monitor, account = str(uuid.uuid4()), str(uuid.uuid4())
    first = event_factory.uptime(monitor, account, 5, "up")
    rerun = _rerun(first, timedelta(seconds=40), "down")
    async with conn.transaction():
        assert await move_uptime_results(conn, _rows([first])) == 1
    async with conn.transaction():
        assert await move_uptime_results(conn, _rows([rerun])) == 0
    # both in one batch (a fresh monitor): the earlier one
    other = str(uuid.uuid4())
    twice = event_factory.uptime(other, account, 5, "up")
    async with conn.transaction():
        assert (
            await move_uptime_results(
                conn, _rows([_rerun(twice, timedelta(seconds=9), "down"), twice])
            )
            == 1
        )
    cursor = await conn.execute(
        "SELECT monitor_id, outcome, checks FROM uptime_results r"
        " JOIN uptime_rollups_daily d USING (monitor_id) WHERE monitor_id = ANY(%s)"
        " ORDER BY monitor_id",
        ([uuid.UUID(monitor), uuid.UUID(other)],),
    )
    stored = {
        (str(row["monitor_id"]), row["outcome"], row["checks"]) for row in await cursor.fetchall()
    }
    assert stored == {(monitor, "up", 1), (other, "up", 1)}

    tls = event_factory.tls(monitor, account, 1)
    async with conn.transaction():
        assert await move_tls_results(conn, _rows([tls])) == 1
    async with conn.transaction():
        assert await move_tls_results(conn, _rows([_rerun(tls, timedelta(minutes=3), "down")])) == 0
