"""What a worker's probes know about its group consumer: progress, partitions, the broker.

Liveness asks `stuck(now)`: a partition with lag whose position has not moved for the stall
time, or a member that has held nothing for the stall time while its topics have partitions
to share. Readiness asks `unready()`: the broker answers a fresh request, describes every
topic the member reads (none missing, none refused to its principal), and the member holds
its share now. A broker that does not answer makes a worker unready, never "stuck":
restarting a process cannot bring a broker back.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import IllegalStateError, KafkaError

from pulsecheck.shared.health import Problems
from pulsecheck.shared.kafka.cluster import ROUND_TRIP_TIMEOUT_SECONDS, ClusterView, cluster_view
from pulsecheck.shared.kafka.consumer import PartitionListener
from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity
from pulsecheck.shared.liveness import ProgressWatch, TimerWatch, partitions_missing

log = logging.getLogger(__name__)


@dataclass
class ConsumerWatch:
    bootstrap: str
    consumer: AIOKafkaConsumer
    listener: PartitionListener
    topics: tuple[str, ...]
    group: str
    stall_seconds: float
    started_at: float
    progress: ProgressWatch = field(init=False)
    # beats whenever the member holds its share (or the broker cannot say): silent = stuck
    holding: TimerWatch = field(init=False)
    _observed: set[str] = field(default_factory=set, init=False)
    security: KafkaSecurity = PLAINTEXT

    def __post_init__(self) -> None:
        self.progress = ProgressWatch(self.stall_seconds)
        self.holding = TimerWatch(self.stall_seconds, self.started_at, tolerance=1.0)

    async def sample(self, now: float) -> None:
        """Feed the progress watch with positions and end offsets read now."""
        assigned = sorted(self.consumer.assignment())
        try:
            async with asyncio.timeout(ROUND_TRIP_TIMEOUT_SECONDS):
                ends: dict[TopicPartition, int] = (
                    await self.consumer.end_offsets(assigned) if assigned else {}
                )
                positions = {tp: await self.consumer.position(tp) for tp in assigned}
        except (KafkaError, TimeoutError, IllegalStateError, OSError):
            # without the ends nothing can be judged; the stall clocks restart once they are back
            self._forget(self._observed)
            return
        names = {f"{tp.topic}-{tp.partition}": tp for tp in assigned}
        self._forget(self._observed - set(names))
        for name, tp in names.items():
            self.progress.observe(name, positions[tp], ends[tp], now)
        self._observed = set(names)

    def _forget(self, names: set[str]) -> None:
        for name in names:
            self.progress.forget(name)
        self._observed -= names

    def missing(self, view: ClusterView) -> bool:
        """Holds nothing while its topics have partitions and its group no more members."""
        partitions = sum(view.partitions.get(topic, 0) for topic in self.topics)
        held = sum(self.listener.held_of(topic) for topic in self.topics)
        return partitions_missing(held, partitions, view.members.get(self.group, 0))

    async def view(self) -> ClusterView:
        return await cluster_view(self.bootstrap, self.topics, [self.group], security=self.security)

    async def stuck(self, now: float) -> Problems:
        # side by side: liveness answers within one broker timeout, inside the probe's own
        _, view = await asyncio.gather(self.sample(now), self._view_if_any())
        if view is None or not self.missing(view):
            self.holding.beat(now)
        problems: Problems = {}
        if stuck := self.progress.stuck(now):
            problems["stuck_partitions"] = stuck
        if self.holding.silent(now):
            problems["no_partitions_for_seconds"] = round(self.holding.silent_for(now))
        return problems

    async def _view_if_any(self) -> ClusterView | None:
        try:
            return await self.view()
        except Exception as exc:  # an unreachable broker is readiness's business
            log.debug("broker did not answer the liveness probe", extra={"error": repr(exc)})
            return None

    async def unready(self) -> Problems:
        try:
            view = await self.view()
        except Exception as exc:
            return {"kafka": f"unreachable: {type(exc).__name__}: {exc}"[:200]}
        if refused := view.refusals():
            return refused
        if self.missing(view):
            return {"partitions": f"holds none of {', '.join(self.topics)}"}
        return {}

    def details(self) -> dict[str, Any]:
        return {"held_partitions": len(self.listener.held), "lag": self.progress.lag()}
