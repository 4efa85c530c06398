"""The projector: topics → read model, idempotent by event id, bad records dead-lettered."""

from __future__ import annotations

import asyncio
import base64
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from pulsecheck.projector.main import project
from pulsecheck.projector.metrics import ProjectorMetrics
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.events import (
    IncidentOpened,
    MonitorRegistered,
    encode,
    new_envelope,
)
from pulsecheck.shared.kafka.deadletter import DeadLetterRecord
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.projections import account_rows, alert_events, all_read

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

SNAPSHOT_QUERIES = {
    "monitors": "SELECT id, account_id, name, url, spec, paused, last_event_id, removed_at"
    " FROM monitors WHERE account_id = %(a)s ORDER BY id",
    "monitor_status": "SELECT * FROM monitor_status WHERE account_id = %(a)s ORDER BY monitor_id",
    "uptime_results": "SELECT id, monitor_id, checked_at, outcome, latency_ms"
    " FROM uptime_results WHERE account_id = %(a)s ORDER BY id",
    "tls_results": "SELECT event_id, monitor_id, checked_at, is_valid, issuer"
    " FROM tls_results WHERE account_id = %(a)s ORDER BY event_id",
    "hourly": "SELECT * FROM uptime_rollups_hourly WHERE account_id = %(a)s"
    " ORDER BY monitor_id, bucket",
    "daily": "SELECT * FROM uptime_rollups_daily WHERE account_id = %(a)s"
    " ORDER BY monitor_id, bucket",
    "incidents": "SELECT * FROM incidents WHERE account_id = %(a)s ORDER BY id",
    "notifications": "SELECT event_id, outcome, at FROM notifications WHERE account_id = %(a)s"
    " ORDER BY event_id",
}


async def snapshot(pool: Pool, account_id: uuid.UUID) -> dict[str, list[Any]]:
    """Every projected row of one account."""
    return await account_rows(pool, account_id, SNAPSHOT_QUERIES)


async def publish_history(
    producer: EventProducer, topics: Topics, event_factory: Any, monitor: str, account: str
) -> list[Any]:
    spec = MonitorRegistered(
        monitor_id=monitor, account_id=account, name="Seeded", url="https://seeded.example/"
    )
    envelopes: list[Any] = [new_envelope(spec, source="tests", subject=monitor)]
    await producer.publish(topics.monitors, envelopes[0])
    checks = [event_factory.uptime(monitor, account, n, "down" if n % 5 == 1 else "up")
              for n in range(1, 41)]  # fmt: skip
    checks += [event_factory.tls(monitor, account, n, valid=n != 3) for n in range(1, 6)]
    await producer.publish_many(topics.checks_completed, checks)
    alerts = alert_events(monitor, account)
    for envelope in alerts:
        await producer.publish(topics.alerts, envelope)
    return envelopes + checks + alerts


async def test_history_is_projected_and_served(
    client: httpx.AsyncClient, alice: Any, pool: Pool, producer: EventProducer,
    topics: Topics, event_factory: Any, running_projector: None, eventually: Any,
) -> None:  # fmt: skip
    monitor = str(uuid.uuid4())
    await publish_history(producer, topics, event_factory, monitor, str(alice.account_id))

    async def projected() -> Any:
        tables = await snapshot(pool, alice.account_id)
        counts = {name: len(rows) for name, rows in tables.items()}
        done = counts["uptime_results"] == 40 and counts["tls_results"] == 5
        done = done and counts["notifications"] == 1 and counts["monitors"] == 1
        return done and tables["incidents"] and tables["incidents"][0]["state"] == "resolved"

    await eventually(projected)
    website = (await client.get(f"/websites/{monitor}", headers=alice.headers)).json()
    # the results are of 2025-01-01: read today, their one region has long been silent
    assert website["status"] == "unknown"
    assert [(r["region"], r["status"], r["fresh"]) for r in website["region_status"]] == [
        ("eu", "up", False)
    ]
    assert website["cert_valid"] is True
    uptime = await client.get(
        f"/websites/{monitor}/uptime-logs", params={"limit": 5}, headers=alice.headers
    )
    assert [row["latency_ms"] for row in uptime.json()["data"]] == [60, 59, 58, 57, 56]
    down = await client.get(
        f"/websites/{monitor}/uptime-logs", params={"is_up": "false"}, headers=alice.headers
    )
    assert len(down.json()["data"]) == 8
    ssl = (await client.get(f"/websites/{monitor}/ssl-logs", headers=alice.headers)).json()
    assert len(ssl["data"]) == 5
    first = ssl["data"][0]
    assert {"id", "website_id", "timestamp", "valid_until", "issuer", "is_valid", "error"} <= set(
        first
    )
    assert first["website_id"] == monitor
    assert first["issuer"] == "Test CA"
    invalid = await client.get(
        f"/websites/{monitor}/ssl-logs", params={"is_valid": "false"}, headers=alice.headers
    )
    assert [row["error"] for row in invalid.json()["data"]] == ["expired"]
    notifications = (await client.get("/notifications", headers=alice.headers)).json()
    assert [n["outcome"] for n in notifications["data"]] == ["sent"]


async def test_a_replayed_history_changes_nothing(
    alice: Any, pool: Pool, producer: EventProducer, topics: Topics, event_factory: Any,
    running_projector: None, eventually: Any, kafka_bootstrap: str,
) -> None:  # fmt: skip
    monitor = str(uuid.uuid4())
    history = await publish_history(producer, topics, event_factory, monitor, str(alice.account_id))

    async def settled() -> Any:
        tables = await snapshot(pool, alice.account_id)
        counts = {name: len(rows) for name, rows in tables.items()}
        done = counts["uptime_results"] == 40 and counts["tls_results"] == 5
        done = done and counts["incidents"] == 1 and counts["notifications"] == 1
        done = done and counts["monitors"] == 1
        return tables if done and tables["incidents"][0]["state"] == "resolved" else None

    before = await eventually(settled)
    for envelope in history:  # the same events (same ids) once more, as a redelivery would
        topic = {
            "io.pulsecheck.monitor.registered.v1": topics.monitors,
            "io.pulsecheck.check.completed.v1": topics.checks_completed,
        }.get(envelope.type, topics.alerts)
        await producer.publish(topic, envelope)
    marker = new_envelope(
        MonitorRegistered(monitor_id=str(uuid.uuid4()), account_id=str(alice.account_id),
                          name="marker", url="https://marker.example/"),
        source="tests", subject="marker",
    )  # fmt: skip
    await producer.publish(topics.monitors, marker)

    async def marker_seen() -> Any:
        async with pool.connection() as conn:
            row = await (
                await conn.execute("SELECT 1 FROM monitors WHERE name = 'marker'")
            ).fetchone()
        return row

    await eventually(marker_seen)
    await eventually(lambda: all_read(pool, kafka_bootstrap, _projected(topics)))
    after = await snapshot(pool, alice.account_id)
    after["monitors"] = [m for m in after["monitors"] if m["name"] != "marker"]
    for name in after:
        assert after[name] == before[name], name


def _projected(topics: Topics) -> list[str]:
    return [topics.monitors, topics.checks_completed, topics.alerts]


async def test_garbage_goes_to_the_dead_letter_topic_and_the_projector_carries_on(
    alice: Any, pool: Pool, producer: EventProducer, topics: Topics, event_factory: Any,
    running_projector: None, eventually: Any, kafka_bootstrap: str,
) -> None:  # fmt: skip
    monitor = str(uuid.uuid4())
    await producer.raw.send_and_wait(topics.checks_completed, b"{not json", key=b"k")
    good = event_factory.uptime(monitor, str(alice.account_id), 1)
    await producer.publish(topics.checks_completed, good)

    async def good_projected() -> Any:
        async with pool.connection() as conn:
            return await (
                await conn.execute(
                    "SELECT 1 FROM uptime_results WHERE monitor_id = %s", (uuid.UUID(monitor),)
                )
            ).fetchone()

    await eventually(good_projected)
    consumer = AIOKafkaConsumer(
        topics.deadletter, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        record = await consumer.getone()
    finally:
        await consumer.stop()
    assert b"not valid JSON" in record.value
    assert b'"original_topic":"' + topics.checks_completed.encode() in record.value


async def test_an_event_that_decodes_but_cannot_be_applied_is_dead_lettered(
    alice: Any, pool: Pool, producer: EventProducer, topics: Topics,
    running_projector: None, eventually: Any, kafka_bootstrap: str,
) -> None:  # fmt: skip
    # a well-formed IncidentOpened whose monitor id is no UUID: the read model cannot key it
    stray = new_envelope(
        IncidentOpened(
            incident_id=str(uuid.uuid4()), monitor_id="not-a-uuid",
            account_id=str(alice.account_id), kind="down",
            opened_at=datetime(2025, 1, 1, tzinfo=UTC),
        ),
        source="tests", subject="not-a-uuid",
    )  # fmt: skip
    await producer.publish(topics.alerts, stray)
    monitor = str(uuid.uuid4())
    good = alert_events(monitor, str(alice.account_id))[0]
    await producer.publish(topics.alerts, good)

    async def good_applied() -> bool:
        return bool((await snapshot(pool, alice.account_id))["incidents"])

    await eventually(good_applied)
    consumer = AIOKafkaConsumer(
        topics.deadletter, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        record = await asyncio.wait_for(consumer.getone(), timeout=30)
    finally:
        await consumer.stop()
    letter = DeadLetterRecord.model_validate_json(record.value)
    assert letter.error_kind == "unappliable"
    assert letter.original_topic == topics.alerts
    assert "could not apply" in letter.reason
    assert base64.b64decode(letter.value_base64 or "") == encode(stray)
    incidents = (await snapshot(pool, alice.account_id))["incidents"]
    assert [str(row["monitor_id"]) for row in incidents] == [monitor]


async def test_a_backlog_in_many_small_pipelined_batches_is_written_once(
    alice: Any, pool: Pool, producer: EventProducer, topics: Topics, event_factory: Any,
    settings: ProjectorSettings, eventually: Any, leaders_ready: None,
) -> None:  # fmt: skip
    monitor, account = str(uuid.uuid4()), str(alice.account_id)
    checks = [event_factory.uptime(monitor, account, n) for n in range(1, 121)]
    await producer.publish_many(topics.checks_completed, checks)
    small = settings.model_copy(update={"projector_batch_size": 7, "projector_batch_wait_ms": 20})
    stop = asyncio.Event()
    projecting = asyncio.create_task(project(small, stop, ProjectorMetrics()))
    try:
        await eventually(lambda: all_read(pool, settings.kafka_bootstrap, _projected(topics)))
    finally:
        stop.set()
        await asyncio.wait_for(projecting, timeout=30)
    async with pool.connection() as conn:
        rows = await (
            await conn.execute(
                "SELECT (SELECT count(*) FROM uptime_results WHERE monitor_id = %(m)s) AS raw,"
                " (SELECT sum(checks) FROM uptime_rollups_hourly WHERE monitor_id = %(m)s)"
                " AS hourly,"
                " (SELECT sum(checks) FROM uptime_rollups_daily WHERE monitor_id = %(m)s)"
                " AS daily,"
                " (SELECT last_checked_at FROM monitor_status WHERE monitor_id = %(m)s) AS last",
                {"m": monitor},
            )
        ).fetchone()
    assert rows == {"raw": 120, "hourly": 120, "daily": 120, "last": checks[-1].time}
