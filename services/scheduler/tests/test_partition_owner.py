"""Exactly once across restarts, crashes and replicas, through the real broker.

What a prober (a read_committed reader) sees is checked: no request id twice, each monitor's
slots on its cadence, and where a downtime swallowed slots, exactly one catch-up: the latest.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from pulsecheck.scheduler.main import wall_clock_ms
from pulsecheck.shared.topics import Topics

pytestmark = pytest.mark.kafka

FAST = [f"fast-{i}" for i in range(6)]  # every second: a downtime swallows slots
SLOW = [f"slow-{i}" for i in range(3)]  # every 5 s: a short restart swallows none


def duplicates(ids: list[str]) -> list[str]:
    return [request_id for request_id, count in Counter(ids).items() if count > 1]


def assert_cadence_with_at_most_one_catch_up(requests: Any, monitor_id: str, step: int) -> None:
    """Slots every `step` ms, except one jump over a downtime that lands on the latest slot
    that had passed (so it was emitted within one step of its time, not later)."""
    received = sorted(requests.of(monitor_id), key=lambda r: r.slot_ms)
    jumps = [(a, b) for a, b in itertools.pairwise(received) if b.slot_ms - a.slot_ms != step]
    assert len(jumps) <= 1, f"{monitor_id}: {[(a.slot_ms, b.slot_ms) for a, b in jumps]}"
    for before, landing in jumps:
        assert (landing.slot_ms - before.slot_ms) % step == 0, monitor_id
        assert landing.received_ms - landing.slot_ms < step + 500, f"{monitor_id}: not latest"


async def register_all(monitors: Any) -> None:
    for monitor_id in FAST:
        await monitors.register(monitor_id, interval_seconds=1)
    for monitor_id in SLOW:
        await monitors.register(monitor_id, interval_seconds=5)


def slots_after(requests: Any, instant_ms: int) -> int:
    return min(len([s for s in requests.slots(m) if s > instant_ms]) for m in FAST + SLOW)


async def test_graceful_restart_neither_duplicates_nor_gaps(
    monitors: Any, requests: Any, start_scheduler: Any, until_scheduling: Any
) -> None:
    await register_all(monitors)
    first = await start_scheduler()
    await until_scheduling(first)
    started_at = wall_clock_ms()
    await requests.wait_for(lambda: slots_after(requests, started_at) >= 1, what="a slot each")
    await first.stop()
    second = await start_scheduler()
    await until_scheduling(second)
    resumed_at = wall_clock_ms()
    await requests.wait_for(lambda: slots_after(requests, resumed_at) >= 2, what="resumed")

    assert not duplicates(requests.request_ids())
    for monitor_id in SLOW:
        assert_cadence_with_at_most_one_catch_up(requests, monitor_id, 5_000)
    for monitor_id in FAST:
        assert_cadence_with_at_most_one_catch_up(requests, monitor_id, 1_000)


@pytest.fixture
def scheduler_process(
    kafka_bootstrap: str, topics: Topics, tmp_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    env = os.environ | {
        "PULSECHECK_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "PULSECHECK_TOPIC_PREFIX": topics.prefix,
        "PULSECHECK_MIN_INTERVAL_SECONDS": "1",
        "PULSECHECK_TICK_MS": "50",
        "PULSECHECK_IDLE_CHECKPOINT_SECONDS": "1",
        "PULSECHECK_SESSION_TIMEOUT_MS": "6000",
        "PULSECHECK_TRANSACTION_TIMEOUT_MS": "5000",
        "PULSECHECK_HEALTH_HOST": "127.0.0.1",
        "PULSECHECK_HEALTH_PORT": "0",
    }
    with (tmp_path / "scheduler.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", "from pulsecheck.scheduler.main import main; main()"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


async def test_a_killed_scheduler_is_replaced_without_duplicates(
    monitors: Any,
    requests: Any,
    start_scheduler: Any,
    until_scheduling: Any,
    scheduler_process: subprocess.Popen[bytes],
) -> None:
    await register_all(monitors)
    started_at = wall_clock_ms()
    await requests.wait_for(
        lambda: slots_after(requests, started_at) >= 2, within=30, what="the process schedules"
    )
    os.kill(scheduler_process.pid, signal.SIGKILL)  # mid-cycle, maybe mid-transaction
    scheduler_process.wait(timeout=10)
    killed_at = wall_clock_ms()
    replacement = await start_scheduler()
    await until_scheduling(replacement, within=30)
    await requests.wait_for(lambda: slots_after(requests, killed_at) >= 3, what="taken over")

    assert not duplicates(requests.request_ids())
    for monitor_id in SLOW:
        assert_cadence_with_at_most_one_catch_up(requests, monitor_id, 5_000)
    for monitor_id in FAST:
        assert_cadence_with_at_most_one_catch_up(requests, monitor_id, 1_000)


async def test_two_replicas_split_the_partitions_and_hand_over_on_stop(
    monitors: Any, requests: Any, start_scheduler: Any, until_scheduling: Any
) -> None:
    await register_all(monitors)
    replicas = await asyncio.gather(start_scheduler(), start_scheduler())
    await until_scheduling(*replicas)
    both_at = wall_clock_ms()
    await requests.wait_for(lambda: slots_after(requests, both_at) >= 2, what="both schedule")
    assert all(replica.status()[1]["scheduling_partitions"] for replica in replicas)

    await replicas[0].stop()
    await until_scheduling(replicas[1])
    alone_at = wall_clock_ms()
    await requests.wait_for(lambda: slots_after(requests, alone_at) >= 2, what="handed over")

    assert not duplicates(requests.request_ids())
    for monitor_id in SLOW:
        assert_cadence_with_at_most_one_catch_up(requests, monitor_id, 5_000)
    for monitor_id in FAST:
        assert_cadence_with_at_most_one_catch_up(requests, monitor_id, 1_000)


async def test_a_fenced_owner_stops_emitting(
    kafka_bootstrap: str,
    monitors: Any,
    requests: Any,
    start_scheduler: Any,
    until_scheduling: Any,
    topics: Topics,
) -> None:
    """A replica that lost partition 0 without noticing (a zombie) can no longer commit."""
    await register_all(monitors)
    zombie = await start_scheduler()
    await until_scheduling(zombie)
    await requests.wait_for(lambda: slots_after(requests, 0) >= 1, what="a slot each")
    usurper = AIOKafkaProducer(
        bootstrap_servers=kafka_bootstrap,
        transactional_id=f"{topics.prefix}pulsecheck-scheduler-p0",
    )
    await usurper.start()  # what a new owner of partition 0 does first
    try:
        fenced_at = wall_clock_ms()
        await requests.wait_for(
            lambda: 0 not in zombie.status()[1]["scheduling_partitions"], what="fenced"
        )
        others = [m for m in FAST + SLOW if {r.partition for r in requests.of(m)} != {0}]
        await requests.wait_for(
            lambda: all(len([s for s in requests.slots(m) if s > fenced_at]) >= 2 for m in others),
            what="the other partitions go on",
        )
        late_on_zero = [r for r in requests.received if r.partition == 0 and r.slot_ms > fenced_at]
        assert late_on_zero == []
        healthy, details = zombie.status()
        assert not healthy and details["lost_partitions"] == [0]
    finally:
        await usurper.stop()
