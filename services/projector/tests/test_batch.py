"""Sorting polled records: results, ordered events, tombstones, dead letters, positions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from pulsecheck.projector.batch import sort_records
from pulsecheck.shared.events import CheckCompleted, UptimeResult, encode, new_envelope
from pulsecheck.shared.topics import Topics

TOPICS = Topics("x.")


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp: int = 0


def _check(monitor: str) -> bytes:
    at = datetime(2025, 1, 1, tzinfo=UTC)
    check = CheckCompleted(
        request_id="r", monitor_id=monitor, account_id=str(uuid.uuid4()), kind="http",
        region="eu", target="https://e.com/", scheduled_for=at, started_at=at, finished_at=at,
        outcome="up", uptime=UptimeResult(latency_ms=1.0),
    )  # fmt: skip
    return encode(new_envelope(check, source="t", subject=monitor))


def test_records_are_sorted_by_what_happens_to_them() -> None:
    monitor = str(uuid.uuid4())
    records = [
        Record(TOPICS.checks_completed, 0, 7, b"m", _check(monitor)),
        Record(TOPICS.checks_completed, 0, 8, b"m", b"garbage"),
        Record(TOPICS.checks_completed, 1, 3, b"m", _check("not-a-uuid")),
        Record(TOPICS.monitors, 2, 5, monitor.encode(), None),
        Record(TOPICS.channels, 0, 1, b"c", None),
    ]
    batch = sort_records(records, TOPICS)  # type: ignore[arg-type]
    assert len(batch.results) == 1
    assert batch.results[0].table == "uptime_results"
    assert [r.kind for r in batch.rejected] == ["not_json", "invalid_ids"]
    assert [t.key for t in batch.tombstones] == [monitor]
    assert batch.positions == {
        (TOPICS.checks_completed, 0): 9,
        (TOPICS.checks_completed, 1): 4,
        (TOPICS.monitors, 2): 6,
        (TOPICS.channels, 0): 2,
    }
