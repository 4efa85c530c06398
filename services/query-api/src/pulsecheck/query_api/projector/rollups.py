"""Pure aggregation of newly inserted uptime results into hourly and daily rollup increments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pulsecheck.query_api.latency_histogram import bucket_index, empty_histogram


@dataclass
class RollupIncrement:
    monitor_id: uuid.UUID
    bucket: datetime
    account_id: uuid.UUID
    checks: int = 0
    up: int = 0
    degraded: int = 0
    down: int = 0
    latency_count: int = 0
    latency_sum: float = 0.0
    histogram: list[int] = field(default_factory=empty_histogram)

    def add(self, outcome: str, latency_ms: float | None) -> None:
        self.checks += 1
        if outcome == "up":
            self.up += 1
        elif outcome == "degraded":
            self.degraded += 1
        else:
            self.down += 1
        if latency_ms is not None and outcome != "down":
            self.latency_count += 1
            self.latency_sum += latency_ms
            self.histogram[bucket_index(latency_ms)] += 1


@dataclass(frozen=True)
class InsertedResult:
    monitor_id: uuid.UUID
    account_id: uuid.UUID
    checked_at: datetime
    outcome: str
    latency_ms: float | None


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def day_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def aggregate(
    results: list[InsertedResult],
) -> tuple[list[RollupIncrement], list[RollupIncrement]]:
    """(hourly, daily) increments, one per (monitor, bucket)."""
    hourly: dict[tuple[uuid.UUID, datetime], RollupIncrement] = {}
    daily: dict[tuple[uuid.UUID, datetime], RollupIncrement] = {}
    for result in results:
        hour, day = hour_of(result.checked_at), day_of(result.checked_at)
        for buckets, start in ((hourly, hour), (daily, day)):
            key = (result.monitor_id, start)
            increment = buckets.get(key)
            if increment is None:
                increment = buckets[key] = RollupIncrement(
                    result.monitor_id, start, result.account_id
                )
            increment.add(result.outcome, result.latency_ms)
    return list(hourly.values()), list(daily.values())
