"""The scheduler's two probes, built from its state.

- liveness: the monitor feed runs, no monitors partition with lag is stuck, every scheduling
  partition's clock ticks, and the member has not held nothing for long while it should;
- readiness: the broker answers now, the member holds its share of the monitors partitions,
  every owned partition's table is loaded and its clock scheduling (not fenced).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from pulsecheck.scheduler.partition_owner import PartitionOwner
from pulsecheck.shared.health import Probe, Problems, Verdict, verdict
from pulsecheck.shared.kafka.watch import ConsumerWatch

Monotonic = Callable[[], float]


def clock_problems(owners: dict[int, PartitionOwner], now: float) -> Problems:
    silent = sorted(p for p, o in owners.items() if o.scheduling and o.clock_watch.silent(now))
    return {"silent_clocks": silent} if silent else {}


def restore_problems(owners: dict[int, PartitionOwner]) -> Problems:
    problems: Problems = {}
    if loading := sorted(p for p, owner in owners.items() if not owner.loaded):
        problems["loading_partitions"] = loading
    # fenced by another replica while still assigned here: wait for the rebalance
    if lost := sorted(p for p, owner in owners.items() if owner.lost):
        problems["lost_partitions"] = lost
    return problems


@dataclass
class SchedulerProbes:
    watch: ConsumerWatch
    owners: Callable[[], dict[int, PartitionOwner]]
    feeding: Callable[[], bool]
    monotonic: Monotonic = time.monotonic

    async def liveness(self) -> Verdict:
        now = self.monotonic()
        owners = self.owners()
        problems = await self.watch.stuck(now) | clock_problems(owners, now)
        if not self.feeding():
            problems["monitor_feed"] = "stopped"
        return verdict(problems, owned_partitions=sorted(owners), **self.watch.details())

    async def readiness(self) -> Verdict:
        owners = self.owners()
        problems = await self.watch.unready() | restore_problems(owners)
        scheduling = sorted(p for p, owner in owners.items() if owner.scheduling)
        return verdict(
            problems,
            scheduling_partitions=scheduling,
            monitors=sum(len(owner.schedule) for owner in owners.values()),
        )

    def probes(self) -> tuple[Probe, Probe]:
        return self.liveness, self.readiness
