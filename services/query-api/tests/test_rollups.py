"""Rollup increments: one per monitor and bucket, counting outcomes and up latencies."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pulsecheck.query_api.projector.rollups import InsertedResult, aggregate

MONITOR = uuid.uuid4()
ACCOUNT = uuid.uuid4()


def test_results_add_up_per_hour_and_day() -> None:
    results = [
        InsertedResult(MONITOR, ACCOUNT, datetime(2025, 1, 1, 10, 5, tzinfo=UTC), "up", 20.0),
        InsertedResult(MONITOR, ACCOUNT, datetime(2025, 1, 1, 10, 55, tzinfo=UTC), "down", None),
        InsertedResult(MONITOR, ACCOUNT, datetime(2025, 1, 1, 11, 0, tzinfo=UTC), "degraded", 900),
    ]
    hourly, daily = aggregate(results)
    assert [(h.bucket.hour, h.checks, h.up, h.down, h.degraded) for h in hourly] == [
        (10, 2, 1, 1, 0),
        (11, 1, 0, 0, 1),
    ]
    assert len(daily) == 1
    assert daily[0].checks == 3
    assert daily[0].latency_count == 2
    assert daily[0].latency_sum == 920.0
    assert sum(daily[0].histogram) == 2
