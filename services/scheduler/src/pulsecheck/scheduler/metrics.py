"""The scheduler's Prometheus metrics, on a registry of its own (no global state)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


@dataclass
class SchedulerMetrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.requests_emitted = Counter(
            "pulsecheck_scheduler_requests_emitted",
            "CheckRequested events committed",
            ["kind"],
            registry=self.registry,
        )
        self.dispatch_drift = Histogram(
            "pulsecheck_scheduler_dispatch_drift_seconds",
            "Commit time of a CheckRequested minus its scheduled_for",
            buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10, 30, 60, 300),
            registry=self.registry,
        )
        self.transactions = Counter(
            "pulsecheck_scheduler_transactions",
            "Transactions by outcome",
            ["outcome"],
            registry=self.registry,
        )
        self.monitors = Gauge(
            "pulsecheck_scheduler_monitors",
            "Monitors in the owned partitions' tables",
            registry=self.registry,
        )
        self.owned_partitions = Gauge(
            "pulsecheck_scheduler_owned_partitions",
            "Partitions whose clock is running",
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "pulsecheck_scheduler_dead_letters",
            "Monitor records sent to the dead-letter topic",
            registry=self.registry,
        )
