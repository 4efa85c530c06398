"""The prober's Prometheus exposition counts checks by kind and outcome."""

from __future__ import annotations

from pulsecheck.prober.metrics import ProberMetrics


def test_checks_are_counted_by_kind_and_outcome() -> None:
    metrics = ProberMetrics()
    metrics.checks.labels(kind="tls", outcome="down").inc()
    assert b'pulsecheck_prober_checks_total{kind="tls",outcome="down"} 1.0' in (
        metrics.exposition()
    )
