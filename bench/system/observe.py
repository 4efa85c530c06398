"""What the system did in the window, read from its own topics: requested, completed and
skipped per second, missing and duplicate request ids, drift (scheduled_for -> started_at)."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from aiokafka import AIOKafkaConsumer

SKIPPED = "io.pulsecheck.check.skipped.v1"


@dataclass
class Observed:
    requested: Counter[str] = field(default_factory=Counter)  # request id -> times seen
    finished: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    scheduled: dict[str, float] = field(default_factory=dict)  # request id -> scheduled epoch
    drift_ms: list[float] = field(default_factory=list)
    # per wall-clock second of the window: requested, completed, skipped, drift p99, lag
    per_second: dict[int, list[float]] = field(default_factory=dict)
    drift_by_second: dict[int, list[float]] = field(default_factory=dict)
    # each monitor's latest completed check: (started, finished) epochs, for the read probe
    finished_at: dict[str, tuple[float, float]] = field(default_factory=dict)
    # every result of the monitors the alert probe switches off: (started, finished) epochs
    watched: dict[str, list[tuple[float, float]]] = field(default_factory=dict)


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def _second(observed: Observed, at: float) -> list[float]:
    return observed.per_second.setdefault(int(at), [0, 0, 0])


async def observe(
    bootstrap: str,
    requested_topic: str,
    completed_topic: str,
    start: float,
    end: float,
    observed: Observed,
) -> Observed:
    """Read both topics from the end offsets of now until `end` (wall clock)."""
    consumer = AIOKafkaConsumer(
        requested_topic, completed_topic, bootstrap_servers=bootstrap,
        auto_offset_reset="latest", enable_auto_commit=False, group_id=None,
    )  # fmt: skip
    await consumer.start()
    try:
        while time.time() < end:
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            for tp, records in batches.items():
                for record in records:
                    _take(observed, tp.topic == requested_topic, record.value, start)
            await asyncio.sleep(0)
    finally:
        await consumer.stop()
    return observed


def _take(observed: Observed, is_request: bool, raw: bytes | None, start: float) -> None:
    if raw is None:
        return
    event = json.loads(raw)
    data = event["data"]
    request_id = data["request_id"]
    scheduled = _epoch(data["scheduled_for"])
    if not is_request and data["monitor_id"] in observed.watched and event["type"] != SKIPPED:
        observed.watched[data["monitor_id"]].append(
            (_epoch(data["started_at"]), _epoch(data["finished_at"]))
        )
    if scheduled < start:  # scheduled before the window: not ours to count
        return
    if is_request:
        observed.requested[request_id] += 1
        observed.scheduled[request_id] = scheduled
        _second(observed, scheduled)[0] += 1
        return
    observed.finished[request_id] += 1
    if event["type"] == SKIPPED:
        observed.skipped += 1
        _second(observed, _epoch(data["skipped_at"]))[2] += 1
        return
    started = _epoch(data["started_at"])
    drift = (started - scheduled) * 1000
    observed.drift_ms.append(drift)
    observed.drift_by_second.setdefault(int(started), []).append(drift)
    done = _epoch(data["finished_at"])
    _second(observed, done)[1] += 1
    observed.finished_at[data["monitor_id"]] = (started, done)
