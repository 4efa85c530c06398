"""The prober's two probes, built from its state.

- liveness: the worker loop runs, no checks-requested partition with lag is stuck, and the
  member has not held nothing for long while it should;
- readiness: the broker answers now, the member holds its share of the partitions, and the
  skip ratio over the last `SKIP_WINDOW_SECONDS` is at most the allowed one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pulsecheck.prober.metrics import ProberMetrics
from pulsecheck.prober.skips import SkipWindow
from pulsecheck.shared.health import Verdict, verdict
from pulsecheck.shared.kafka.watch import ConsumerWatch

SKIP_WINDOW_SECONDS = 300.0


@dataclass
class ProberProbes:
    watch: ConsumerWatch
    metrics: ProberMetrics
    max_skip_ratio: float
    running: Callable[[], bool]
    region: str
    monotonic: Callable[[], float] = time.monotonic
    skips: SkipWindow = field(init=False)

    def __post_init__(self) -> None:
        self.skips = SkipWindow(SKIP_WINDOW_SECONDS, self.monotonic())

    def skip_ratio(self) -> float:
        ratio = self.skips.observe(self.monotonic(), *self.metrics.outcome_totals())
        self.metrics.skip_ratio.set(ratio)
        return ratio

    async def liveness(self) -> Verdict:
        problems = await self.watch.stuck(self.monotonic())
        if not self.running():
            problems["worker"] = "stopped"
        return verdict(problems, region=self.region, **self.watch.details())

    async def readiness(self) -> Verdict:
        problems = await self.watch.unready()
        ratio = self.skip_ratio()
        if ratio > self.max_skip_ratio:
            problems["skip_ratio"] = f"{ratio:.2f} above {self.max_skip_ratio:.2f}"
        return verdict(problems, region=self.region, skip_ratio=round(ratio, 3))

    def exposition(self) -> bytes:
        self.skip_ratio()
        return self.metrics.exposition()
