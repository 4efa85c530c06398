"""The scheduler's probes from fake state: clocks, tables, the monitor feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulsecheck.scheduler.health import SchedulerProbes, clock_problems, restore_problems
from pulsecheck.shared.liveness import TimerWatch


@dataclass
class FakeOwner:
    scheduling: bool = True
    loaded: bool = True
    lost: bool = False
    clock_watch: TimerWatch = field(default_factory=lambda: TimerWatch(5.0, 0.0, tolerance=24))
    schedule: tuple[str, ...] = ("m1", "m2")


@dataclass
class FakeWatch:
    stuck_now: dict[str, Any] = field(default_factory=dict)
    unready_now: dict[str, Any] = field(default_factory=dict)

    async def stuck(self, now: float) -> dict[str, Any]:
        return dict(self.stuck_now)

    async def unready(self) -> dict[str, Any]:
        return dict(self.unready_now)

    def details(self) -> dict[str, Any]:
        return {"held_partitions": 2, "lag": 0}


def test_a_scheduling_clock_silent_for_the_stall_time_has_stopped() -> None:
    ticking, silent, loading = FakeOwner(), FakeOwner(), FakeOwner(scheduling=False)
    ticking.clock_watch.beat(100.0)
    owners: dict[int, Any] = {0: ticking, 1: silent, 2: loading}
    assert clock_problems(owners, now=120.0) == {}
    # 24 intervals of 5 s: the stall time of 120 s
    assert clock_problems(owners, now=121.0) == {"silent_clocks": [1]}


def test_tables_still_loading_or_fenced_partitions_are_not_ready() -> None:
    owners: dict[int, Any] = {0: FakeOwner(), 3: FakeOwner(loaded=False), 5: FakeOwner(lost=True)}
    assert restore_problems(owners) == {"loading_partitions": [3], "lost_partitions": [5]}
    assert restore_problems({0: FakeOwner()}) == {}  # type: ignore[dict-item]


async def test_probes_combine_the_consumer_the_clocks_and_the_feed() -> None:
    watch, owners, feeding = FakeWatch(), {0: FakeOwner()}, [True]
    probes = SchedulerProbes(watch, lambda: owners, lambda: feeding[0], monotonic=lambda: 1.0)  # type: ignore[arg-type]
    live, ready = probes.probes()
    assert await live() == (True, {"owned_partitions": [0], "held_partitions": 2, "lag": 0})
    assert await ready() == (True, {"scheduling_partitions": [0], "monitors": 2})
    feeding[0] = False
    watch.unready_now = {"kafka": "unreachable: KafkaConnectionError"}
    ok, details = await live()
    assert not ok and details["problems"] == {"monitor_feed": "stopped"}
    ok, details = await ready()
    assert not ok and details["problems"] == {"kafka": "unreachable: KafkaConnectionError"}
