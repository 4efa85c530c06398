"""The notifier's probes as pure logic: a fake worker, a fake broker, a hand-turned clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from pulsecheck.notifier.health import ClusterFacts, NotifierHealth, PartitionProgress
from pulsecheck.shared.liveness import ProgressWatch, TimerWatch

STALL = 60.0
TOPICS = frozenset({"checks", "deliveries"})


@dataclass
class FakeWorker:
    held_partitions: dict[str, int] = field(default_factory=lambda: {"checks": 3, "deliveries": 3})
    positions: list[PartitionProgress] = field(default_factory=list)
    tables_recovered: bool = True

    def agent_topics(self) -> frozenset[str]:
        return TOPICS

    def held(self) -> dict[str, int]:
        return self.held_partitions

    def progress(self) -> list[PartitionProgress]:
        return self.positions

    def recovered(self) -> bool:
        return self.tables_recovered


@dataclass
class Stage:
    worker: FakeWorker = field(default_factory=FakeWorker)
    now: float = 0.0
    broker_up: bool = True
    members: int = 1
    caught_up: bool = True
    configuration_hangs: bool = False
    refused: dict[str, str] = field(default_factory=dict)

    async def round_trip(self) -> ClusterFacts:
        if not self.broker_up:
            raise ConnectionError("broker down")
        return ClusterFacts({"checks": 3, "deliveries": 3}, self.members, self.refused)

    async def configuration_caught_up(self) -> bool:
        if self.configuration_hangs:
            await asyncio.Event().wait()
        return self.caught_up

    def health(self) -> NotifierHealth:
        return NotifierHealth(
            worker=self.worker,
            round_trip=self.round_trip,
            configuration_caught_up=self.configuration_caught_up,
            progress=ProgressWatch(STALL),
            timer=TimerWatch(30.0, started_at=0.0, tolerance=STALL / 30.0),
            clock=lambda: self.now,
        )


@pytest.fixture
def stage() -> Stage:
    return Stage()


async def test_a_worker_that_processes_and_ticks_is_alive_and_ready(stage: Stage) -> None:
    health = stage.health()
    for step in range(10):
        stage.now = step * 20.0
        stage.worker.positions = [PartitionProgress("checks:0", step * 5, step * 5 + 3)]
        health.tick_beat()
        assert await health.liveness() == (True, {})
    assert await health.readiness() == (True, {"kafka": "ok"})


async def test_lag_that_does_not_move_for_the_stall_time_is_stuck(stage: Stage) -> None:
    health = stage.health()
    stage.worker.positions = [PartitionProgress("checks:2", 3, 6)]
    health.tick_beat()
    assert (await health.liveness())[0]
    stage.now = STALL - 1
    health.tick_beat()
    assert (await health.liveness())[0]
    stage.now = STALL
    health.tick_beat()
    ok, details = await health.liveness()
    assert not ok and details["problems"] == {"stuck_partitions": ["checks:2"]}


async def test_an_idle_partition_without_lag_is_never_stuck(stage: Stage) -> None:
    health = stage.health()
    stage.worker.positions = [PartitionProgress("checks:0", 9, 9)]
    for step in range(10):
        stage.now = step * STALL
        health.tick_beat()
        assert (await health.liveness())[0]


async def test_a_timer_silent_for_the_stall_time_is_stuck(stage: Stage) -> None:
    health = stage.health()
    health.tick_beat()
    stage.now = STALL + 1
    ok, details = await health.liveness()
    assert not ok and details["problems"] == {"timer_silent_seconds": STALL + 1}


async def test_an_agent_without_partitions_is_stuck_once_the_stall_time_has_passed(
    stage: Stage,
) -> None:
    health = stage.health()
    stage.worker.held_partitions = {"checks": 3}
    assert (await health.liveness())[0]  # a rebalance may be under way
    assert not (await health.readiness())[0]
    stage.now = STALL
    health.tick_beat()
    ok, details = await health.liveness()
    assert not ok and details["problems"] == {"agents_without_partitions": ["deliveries"]}


async def test_a_member_among_more_members_than_partitions_may_hold_none(stage: Stage) -> None:
    health = stage.health()
    stage.worker.held_partitions = {}
    stage.members = 4
    stage.now = STALL
    health.tick_beat()
    assert (await health.liveness())[0]
    assert (await health.readiness())[0]


async def test_a_broker_that_does_not_answer_makes_it_unready_not_dead(stage: Stage) -> None:
    health = stage.health()
    stage.broker_up = False
    ok, details = await health.readiness()
    assert not ok and details["problems"] == {"kafka": "ConnectionError: broker down"}
    assert await health.liveness() == (True, {"cluster": "unreachable: ConnectionError"})


async def test_a_topic_refused_to_its_principal_makes_it_unready(stage: Stage) -> None:
    stage.refused = {"deliveries": "TopicAuthorizationFailedError"}
    ok, details = await stage.health().readiness()
    assert not ok
    assert details["problems"] == {
        "refused_topics": {"deliveries": "TopicAuthorizationFailedError"}
    }


async def test_recovering_tables_make_it_unready(stage: Stage) -> None:
    stage.worker.tables_recovered = False
    ok, details = await stage.health().readiness()
    assert not ok and details["problems"] == {"tables": "recovering"}


@pytest.mark.parametrize("hangs", [False, True], ids=["behind", "hangs"])
async def test_a_configuration_reader_behind_makes_it_unready(stage: Stage, hangs: bool) -> None:
    stage.caught_up = False
    stage.configuration_hangs = hangs
    ok, details = await stage.health().readiness()
    assert not ok and details["problems"] == {"configuration": "behind"}
