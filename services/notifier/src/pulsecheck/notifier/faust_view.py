"""The I/O edge of the notifier's health: what the faust worker and the broker say now.

Everything read from faust's internals is read here, in one place, so a faust upgrade that
moves them breaks one small module (and its test), not the probes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import faust
from faust.exceptions import ConsumerNotStarted
from mode import Service

from pulsecheck.notifier.health import ClusterFacts, PartitionProgress
from pulsecheck.shared.health import HealthServer
from pulsecheck.shared.kafka.cluster import cluster_view
from pulsecheck.shared.kafka.security import KafkaSecurity


class FaustWorkerView:
    def __init__(self, app: faust.App, agent_topics: Iterable[str]) -> None:
        self._app = app
        self._topics = frozenset(agent_topics)

    def agent_topics(self) -> frozenset[str]:
        return self._topics

    def _assignment(self) -> set[Any]:
        try:
            return {tp for tp in self._app.consumer.assignment() if tp.topic in self._topics}
        except ConsumerNotStarted:
            return set()

    def held(self) -> dict[str, int]:
        return dict(Counter(tp.topic for tp in self._assignment()))

    def progress(self) -> list[PartitionProgress]:
        consumer: Any = self._app.consumer
        # the offsets faust committed (or found committed when it was assigned the partition):
        # what it has processed; faust has no public view of them
        committed: dict[Any, int | None] = consumer._committed_offset
        progress = []
        for tp in self._assignment():
            position = committed.get(tp)
            try:
                end = consumer.highwater(tp)
            except Exception:  # not fetched yet, or revoked meanwhile: nothing to judge
                end = None
            if position is not None and end is not None:
                progress.append(PartitionProgress(f"{tp.topic}:{tp.partition}", position, end))
        return progress

    def recovered(self) -> bool:
        return bool(self._app.tables.actives_ready) and not self._app.rebalancing


async def cluster_facts(
    bootstrap: str, topics: Iterable[str], group: str, security: KafkaSecurity
) -> ClusterFacts:
    """The shared broker question (`cluster_view`: a new connection, never cached metadata),
    as the notifier's health reads it; raises when the broker does not answer in time."""
    view = await cluster_view(bootstrap, topics, [group], security=security)
    return ClusterFacts(view.partitions, view.members.get(group, 0), view.refused)


class HealthService(Service):
    """Runs the health server for as long as the faust app runs, from its very start (so a
    stuck recovery is seen), unlike faust's app services, which start after recovery."""

    def __init__(self, server: HealthServer, **kwargs: Any) -> None:
        self._server = server
        super().__init__(**kwargs)

    async def on_start(self) -> None:
        await self._server.start()

    async def on_stop(self) -> None:
        await self._server.stop()
