"""Prometheus metrics of the projector: events/s by topic, dead letters, lag per partition."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge

from pulsecheck.projector.batch import SortedBatch


class ProjectorMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.events = Counter(
            "pulsecheck_projector_events_total",
            "Records the projector has written (or skipped as already written)",
            ["kind"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "pulsecheck_projector_dead_letters_total",
            "Records sent to the dead-letter topic",
            registry=self.registry,
        )
        self.lag = Gauge(
            "pulsecheck_projector_lag_records",
            "Records behind the partition's end",
            ["topic", "partition"],
            registry=self.registry,
        )

    def observe_batch(self, batch: SortedBatch) -> None:
        self.events.labels("result").inc(len(batch.results))
        self.events.labels("event").inc(len(batch.ordered))
        self.events.labels("tombstone").inc(len(batch.tombstones))

    async def observe_lag(self, consumer: Any) -> None:
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            position = await consumer.position(tp)
            self.lag.labels(tp.topic, str(tp.partition)).set(max(0, highwater - position))
