"""Prometheus metrics of one notifier process, in a registry of its own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge

from pulsecheck.notifier.health import PartitionProgress


@dataclass(frozen=True)
class NotifierMetrics:
    registry: CollectorRegistry
    results: Counter
    configuration: Counter
    alerts: Counter
    deliveries: Counter
    duplicates_skipped: Counter
    dead_letters: Counter
    # dead letters the broker would not take, and timer ticks that raised: logged, survived
    dead_letter_failures: Counter
    tick_failures: Counter
    # results of removed monitors (dropped unjudged), and regions that fell silent for a monitor
    results_dropped: Counter
    regions_silenced: Counter
    # records behind each consumed partition's end: a notifier falling behind is seen, not silent
    lag: Gauge

    @classmethod
    def create(cls) -> NotifierMetrics:
        registry = CollectorRegistry()
        return cls(
            registry=registry,
            results=Counter(
                "pulsecheck_notifier_results", "Check results processed", registry=registry
            ),
            configuration=Counter(
                "pulsecheck_notifier_configuration_events",
                "Monitor and channel events applied",
                registry=registry,
            ),
            alerts=Counter(
                "pulsecheck_notifier_alerts", "Alert events recorded", ["type"], registry=registry
            ),
            deliveries=Counter(
                "pulsecheck_notifier_delivery_attempts",
                "Delivery attempts by channel kind and outcome",
                ["kind", "outcome"],
                registry=registry,
            ),
            duplicates_skipped=Counter(
                "pulsecheck_notifier_duplicate_deliveries_skipped",
                "Deliveries skipped because their key was already delivered",
                registry=registry,
            ),
            dead_letters=Counter(
                "pulsecheck_notifier_dead_letters",
                "Records sent to the dead-letter topic",
                registry=registry,
            ),
            dead_letter_failures=Counter(
                "pulsecheck_notifier_dead_letter_failures",
                "Dead letters that could not be published (the record was skipped)",
                registry=registry,
            ),
            tick_failures=Counter(
                "pulsecheck_notifier_tick_failures",
                "Timer ticks that raised (the timer kept ticking)",
                registry=registry,
            ),
            results_dropped=Counter(
                "pulsecheck_notifier_results_dropped",
                "Results of removed monitors, dropped without being judged",
                registry=registry,
            ),
            regions_silenced=Counter(
                "pulsecheck_notifier_regions_silenced",
                "Times a region fell silent for a monitor (no fresh result), by region",
                ["region"],
                registry=registry,
            ),
            lag=Gauge(
                "pulsecheck_notifier_lag_records",
                "Records behind the end of each consumed partition (from the committed offset)",
                ["topic", "partition"],
                registry=registry,
            ),
        )

    def observe_lag(self, progress: Iterable[PartitionProgress]) -> None:
        """The lag of the partitions held now; a revoked partition's series goes."""
        self.lag.clear()
        for item in progress:
            topic, _, partition = item.name.rpartition(":")
            self.lag.labels(topic, partition).set(max(0, item.end - item.position))
