"""The notifier's /healthz and /readyz, from what its faust worker is doing.

Liveness (restart me): an agent holds none of its topic's partitions while it should, a
consumed partition has lag and its committed position has not moved, or the tick timer stopped
beating; each for `PULSECHECK_STALL_SECONDS`. A broker that does not answer is no reason to
restart: liveness then skips the partition check and readiness fails instead.

Readiness (send me work): the broker answers a round trip now, every agent's topic has its
partitions assigned here, table recovery has finished, and the configuration reader has read
everything published before the probe.

The probes read the worker through `WorkerView` (`faust_view.py` in production, fakes in tests).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from pulsecheck.shared.health import Verdict
from pulsecheck.shared.liveness import ProgressWatch, TimerWatch, partitions_missing

# how long readiness waits for the configuration reader to catch up before saying "not yet"
CONFIGURATION_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class PartitionProgress:
    name: str  # "topic:partition"
    position: int  # the next offset to process (committed)
    end: int  # the partition's end offset, as the consumer last saw it


@dataclass(frozen=True)
class ClusterFacts:
    """What the broker answered just now (never cached metadata)."""

    partitions: dict[str, int]  # topic -> partition count
    members: int  # members of the notifier's consumer group
    # topic -> why the broker would not describe it (missing, or not allowed to this principal)
    refused: dict[str, str] = field(default_factory=dict)


class WorkerView(Protocol):
    def agent_topics(self) -> frozenset[str]: ...

    def held(self) -> dict[str, int]:
        """Topic -> partitions of it assigned to this worker."""
        ...

    def progress(self) -> list[PartitionProgress]: ...

    def recovered(self) -> bool:
        """Table recovery finished and no rebalance is under way."""
        ...


RoundTrip = Callable[[], Awaitable[ClusterFacts]]
ConfigurationCaughtUp = Callable[[], Awaitable[bool]]


@dataclass
class NotifierHealth:
    worker: WorkerView
    round_trip: RoundTrip
    configuration_caught_up: ConfigurationCaughtUp
    progress: ProgressWatch
    timer: TimerWatch
    clock: Callable[[], float]
    # topic -> when this worker was first seen holding none of it while it should
    _missing_since: dict[str, float] = field(default_factory=dict)

    def tick_beat(self) -> None:
        self.timer.beat(self.clock())

    async def liveness(self) -> Verdict:
        now = self.clock()
        problems: dict[str, object] = {}
        for item in self.worker.progress():
            self.progress.observe(item.name, item.position, item.end, now)
        if stuck := self.progress.stuck(now):
            problems["stuck_partitions"] = stuck
        if self.timer.silent(now):
            problems["timer_silent_seconds"] = round(self.timer.silent_for(now), 1)
        try:
            facts = await self.round_trip()
        except Exception as exc:
            details: dict[str, object] = {"cluster": f"unreachable: {type(exc).__name__}"}
        else:
            details = {}
            if missing := self._partitionless(facts, now):
                problems["agents_without_partitions"] = missing
        return not problems, {**({"problems": problems} if problems else {}), **details}

    def _partitionless(self, facts: ClusterFacts, now: float) -> list[str]:
        """Agent topics this worker has held none of, while it should, for the stall time."""
        held = self.worker.held()
        missing = []
        for topic in sorted(self.worker.agent_topics()):
            if partitions_missing(
                held.get(topic, 0), facts.partitions.get(topic, 0), facts.members
            ):
                since = self._missing_since.setdefault(topic, now)
                if now - since >= self.progress.stall_after_seconds:
                    missing.append(topic)
            else:
                self._missing_since.pop(topic, None)
        return missing

    async def readiness(self) -> Verdict:
        problems: dict[str, object] = {}
        try:
            facts = await self.round_trip()
        except Exception as exc:
            return False, {"problems": {"kafka": f"{type(exc).__name__}: {exc}"[:300]}}
        held = self.worker.held()
        unassigned = [
            topic
            for topic in sorted(self.worker.agent_topics())
            if partitions_missing(held.get(topic, 0), facts.partitions.get(topic, 0), facts.members)
        ]
        if unassigned:
            problems["unassigned_topics"] = unassigned
        if facts.refused:
            problems["refused_topics"] = facts.refused
        if not self.worker.recovered():
            problems["tables"] = "recovering"
        try:
            async with asyncio.timeout(CONFIGURATION_WAIT_SECONDS):
                caught_up = await self.configuration_caught_up()
        except TimeoutError:
            caught_up = False
        if not caught_up:
            problems["configuration"] = "behind"
        return not problems, ({"problems": problems} if problems else {"kafka": "ok"})
