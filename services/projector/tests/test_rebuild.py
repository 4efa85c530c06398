"""`--rebuild` replays the topics into fresh tables and switches over to identical tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from pulsecheck.projector.rebuild import rebuild
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.read_model.storage.connection import Pool, connect
from pulsecheck.shared.events import MonitorRegistered, MonitorUpdated, new_envelope
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.projections import account_rows

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

TABLES = {
    "monitors": "SELECT id, name, url, spec, paused, last_event_id, removed_at FROM monitors"
    " WHERE account_id = %(a)s ORDER BY id",
    "status": "SELECT * FROM monitor_status WHERE account_id = %(a)s ORDER BY monitor_id",
    "uptime": "SELECT id, monitor_id, checked_at, outcome, is_up, latency_ms, status_code"
    " FROM uptime_results WHERE account_id = %(a)s ORDER BY id",
    "tls": "SELECT event_id, checked_at, is_valid, valid_until, issuer, sans FROM tls_results"
    " WHERE account_id = %(a)s ORDER BY event_id",
    "hourly": "SELECT * FROM uptime_rollups_hourly WHERE account_id = %(a)s"
    " ORDER BY monitor_id, bucket",
    "daily": "SELECT * FROM uptime_rollups_daily WHERE account_id = %(a)s"
    " ORDER BY monitor_id, bucket",
}


async def _tables(pool: Pool, account: uuid.UUID) -> dict[str, list[Any]]:
    return await account_rows(pool, account, TABLES)


async def test_rebuild_gives_identical_tables(
    settings: ProjectorSettings, pool: Pool, producer: EventProducer, topics: Topics,
    event_factory: Any, running_projector: None, eventually: Any,
) -> None:  # fmt: skip
    account = uuid.uuid4()
    monitors = [str(uuid.uuid4()) for _ in range(3)]
    for index, monitor in enumerate(monitors):
        spec = {"monitor_id": monitor, "account_id": str(account), "name": f"m{index}",
                "url": f"https://m{index}.example/"}  # fmt: skip
        await producer.publish(topics.monitors, new_envelope(MonitorRegistered(**spec),
                               source="t", subject=monitor))  # fmt: skip
        await producer.publish(topics.monitors, new_envelope(
            MonitorUpdated(**{**spec, "paused": True}), source="t", subject=monitor))  # fmt: skip
        checks = [event_factory.uptime(monitor, str(account), n, "down" if n % 7 == 0 else "up")
                  for n in range(1, 200)]  # fmt: skip
        checks += [event_factory.tls(monitor, str(account), n) for n in range(1, 4)]
        await producer.publish_many(topics.checks_completed, checks)
    await producer.tombstone(topics.monitors, monitors[0])

    async def projected() -> Any:
        tables = await _tables(pool, account)
        return tables if len(tables["uptime"]) == 3 * 199 and len(tables["tls"]) == 9 else None

    await eventually(projected)

    async def monitors_settled() -> Any:
        tables = await _tables(pool, account)
        removed = [m for m in tables["monitors"] if m["removed_at"] is not None]
        paused = all(m["paused"] for m in tables["monitors"])
        return tables if len(removed) == 1 and paused else None

    before = await eventually(monitors_settled)
    conn = await connect(settings.database_url, autocommit=True)
    try:
        read = await rebuild(conn, settings.kafka_bootstrap, topics, 500, datetime.now(UTC))
    finally:
        await conn.close()
    assert read >= 3 * 202 + 7
    after = await _tables(pool, account)
    # the tombstone's time is the broker's; the rebuilt row keeps the same time
    assert after == before
