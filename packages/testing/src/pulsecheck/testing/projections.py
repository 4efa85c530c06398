"""What the projector's suites share: an incident's alert history, a look at every projected
row of one account, and whether the projector has stored its position at every topic's end."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.events import (
    IncidentOpened,
    IncidentResolved,
    NotificationSent,
    new_envelope,
)


def alert_events(monitor: str, account: str) -> list[Any]:
    """One incident of `monitor`: opened, notified on Slack, resolved five minutes later."""
    opened_at = datetime(2025, 1, 1, 1, tzinfo=UTC)
    incident = str(uuid.uuid4())
    return [
        new_envelope(
            IncidentOpened(
                incident_id=incident, monitor_id=monitor, account_id=account, kind="down",
                opened_at=opened_at,
            ),
            source="tests", subject=monitor,
        ),
        new_envelope(
            NotificationSent(
                delivery_key="k1", monitor_id=monitor, account_id=account,
                channel_id="c1", channel_kind="slack", trigger_event_id="t1",
                trigger_type="incident.opened", attempt=1, sent_at=opened_at,
            ),
            source="tests", subject=monitor,
        ),
        new_envelope(
            IncidentResolved(
                incident_id=incident, monitor_id=monitor, account_id=account, kind="down",
                opened_at=opened_at, resolved_at=opened_at + timedelta(minutes=5),
                duration_seconds=300,
            ),
            source="tests", subject=monitor,
        ),
    ]  # fmt: skip


async def account_rows(
    pool: Pool, account_id: uuid.UUID, queries: Mapping[str, str]
) -> dict[str, list[Any]]:
    """Each named query's rows for one account (the queries take `%(a)s`)."""
    async with pool.connection() as conn:
        return {
            name: await (await conn.execute(query, {"a": account_id})).fetchall()
            for name, query in queries.items()
        }


async def all_read(pool: Pool, bootstrap: str, topics: Iterable[str], partitions: int = 3) -> bool:
    """Every partition of `topics` is stored as projected up to its end offset."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        wanted = [TopicPartition(topic, p) for topic in topics for p in range(partitions)]
        ends = await consumer.end_offsets(wanted)
    finally:
        await consumer.stop()
    async with pool.connection() as conn:
        rows = await (
            await conn.execute(
                "SELECT topic, kafka_partition, next_offset FROM projection_positions"
            )
        ).fetchall()
    stored = {(r["topic"], r["kafka_partition"]): r["next_offset"] for r in rows}
    return all(stored.get((tp.topic, tp.partition), 0) == end for tp, end in ends.items())
