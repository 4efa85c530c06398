"""The notifier's lag gauge: records behind each held partition's end, revoked ones dropped."""

from __future__ import annotations

from prometheus_client import generate_latest

from pulsecheck.notifier.health import PartitionProgress
from pulsecheck.notifier.metrics import NotifierMetrics


def _lag_lines(metrics: NotifierMetrics) -> list[str]:
    text = generate_latest(metrics.registry).decode()
    return sorted(line for line in text.splitlines() if line.startswith("pulsecheck_notifier_lag"))


def test_lag_is_the_distance_from_the_committed_position_to_the_end() -> None:
    metrics = NotifierMetrics.create()
    metrics.observe_lag(
        [PartitionProgress("x.checks.completed:0", 40, 100), PartitionProgress("x.ticks:2", 7, 7)]
    )
    assert _lag_lines(metrics) == [
        'pulsecheck_notifier_lag_records{partition="0",topic="x.checks.completed"} 60.0',
        'pulsecheck_notifier_lag_records{partition="2",topic="x.ticks"} 0.0',
    ]


def test_a_partition_no_longer_held_is_no_longer_reported() -> None:
    metrics = NotifierMetrics.create()
    metrics.observe_lag([PartitionProgress("x.checks.completed:0", 40, 100)])
    metrics.observe_lag([PartitionProgress("x.checks.completed:1", 5, 9)])
    assert _lag_lines(metrics) == [
        'pulsecheck_notifier_lag_records{partition="1",topic="x.checks.completed"} 4.0'
    ]
