"""Retention drops whole day partitions before the cutoff; rollups and newer days stay."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pulsecheck.projector.result_moves import move_tls_results, move_uptime_results
from pulsecheck.projector.result_rows import result_row
from pulsecheck.projector.retention import delete_expired_results, expired_partitions
from pulsecheck.projector.writer import ensure_day_partitions, prepare_staging
from pulsecheck.read_model.databases import create_database, drop_database
from pulsecheck.read_model.event_ids import event_uuid
from pulsecheck.read_model.migrations.runner import upgrade
from pulsecheck.read_model.storage.connection import Connection, connect
from pulsecheck.shared.events import Envelope

DAY = datetime(2025, 3, 1, tzinfo=UTC)
CUTOFF = DAY + timedelta(days=2, hours=1)


@pytest.mark.parametrize(
    ("partitions", "expired"),
    [
        # a day goes once all of it lies before the cutoff: 03-02 ends exactly at 03-03 00:00
        (["r_p20250301", "r_p20250302", "r_p20250303"], ["r_p20250301", "r_p20250302"]),
        (["r_p20250303", "r_p20250304"], []),
        # the default partition and foreign names are never dropped whole
        (["r_default", "r_p2025", "r_pabcdefgh", "other_p20250101"], []),
    ],
)
def test_expired_partitions(partitions: list[str], expired: list[str]) -> None:
    assert expired_partitions("r", partitions, CUTOFF) == expired


@pytest.fixture
def scratch_url(database_url: str) -> Iterator[str]:
    # a database of its own: the sweep is global and would drop other tests' days
    url = create_database(database_url)
    upgrade(url)
    yield url
    drop_database(database_url, url)


@pytest.fixture
async def conn(scratch_url: str) -> AsyncIterator[Connection]:
    opened = await connect(scratch_url, autocommit=True)
    await prepare_staging(opened)
    yield opened
    await opened.close()


def _at(envelope: Envelope[Any], when: datetime) -> tuple[Any, ...]:
    check = envelope.data.model_copy(
        update={"started_at": when, "finished_at": when, "scheduled_for": when}
    )
    return result_row(event_uuid(envelope.id), check).values


async def _snapshot(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    queries = {
        "uptime": "SELECT checked_at FROM uptime_results ORDER BY checked_at",
        "tls": "SELECT checked_at FROM tls_results ORDER BY checked_at",
        "hourly": "SELECT * FROM uptime_rollups_hourly ORDER BY monitor_id, bucket",
        "daily": "SELECT * FROM uptime_rollups_daily ORDER BY monitor_id, bucket",
        "partitions": "SELECT c.relname FROM pg_inherits i JOIN pg_class c"
        " ON c.oid = i.inhrelid WHERE i.inhparent = 'uptime_result_rows'::regclass"
        " ORDER BY 1",
    }
    return {name: await (await conn.execute(sql)).fetchall() for name, sql in queries.items()}


async def test_old_days_are_dropped_whole_and_rollups_kept(
    conn: Connection, event_factory: Any
) -> None:
    monitor, account = str(uuid.uuid4()), str(uuid.uuid4())
    days = [DAY + timedelta(days=n, hours=12) for n in range(3)]
    async with conn.transaction():
        await ensure_day_partitions(conn, (day.date() for day in days))
        uptime = [_at(event_factory.uptime(monitor, account, n), at) for n, at in enumerate(days)]
        await move_uptime_results(conn, uptime)
        tls = [_at(event_factory.tls(monitor, account, n), at) for n, at in enumerate(days)]
        await move_tls_results(conn, tls)
        # days nobody created: the default partition keeps them, one expired and one not
        strays = [DAY - timedelta(days=5), DAY + timedelta(days=9)]
        await move_uptime_results(
            conn, [_at(event_factory.uptime(monitor, account, 10 + n), at)
                   for n, at in enumerate(strays)]
        )  # fmt: skip
    before = await _snapshot(conn)
    assert len(before["uptime"]) == 5

    removed = await delete_expired_results(conn, CUTOFF)

    after = await _snapshot(conn)
    assert [row["checked_at"] for row in after["uptime"]] == [days[2], strays[1]]
    assert [row["checked_at"] for row in after["tls"]] == [days[2]]
    assert [row["relname"] for row in after["partitions"]] == [
        "uptime_result_rows_default", "uptime_result_rows_p20250303",
    ]  # fmt: skip
    assert after["hourly"] == before["hourly"] and len(after["hourly"]) == 5
    assert after["daily"] == before["daily"]
    # the stray in the default partition is counted exactly; dropped days by estimate
    assert removed >= 1


async def test_a_day_created_late_takes_its_rows_out_of_the_default(
    conn: Connection, event_factory: Any
) -> None:
    monitor, account = str(uuid.uuid4()), str(uuid.uuid4())
    at = DAY + timedelta(hours=3)
    async with conn.transaction():
        await move_uptime_results(conn, [_at(event_factory.uptime(monitor, account, 1), at)])
    await ensure_day_partitions(conn, [at.date()])
    cursor = await conn.execute(
        "SELECT tableoid::regclass::text AS partition, checked_at FROM uptime_result_rows"
    )
    assert await cursor.fetchall() == [
        {"partition": "uptime_result_rows_p20250301", "checked_at": at}
    ]
