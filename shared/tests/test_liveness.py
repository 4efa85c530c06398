from __future__ import annotations

import pytest

from pulsecheck.shared.liveness import ProgressWatch, TimerWatch, partitions_missing


def test_a_partition_with_lag_that_does_not_move_is_stuck() -> None:
    watch = ProgressWatch(stall_after_seconds=30)
    watch.observe("checks-0", position=10, end=50, now=0)
    watch.observe("checks-0", position=10, end=60, now=29)
    assert watch.stuck(now=29) == []
    assert watch.stuck(now=30) == ["checks-0"]
    assert watch.lag() == 50


def test_moving_resets_the_stall_clock() -> None:
    watch = ProgressWatch(stall_after_seconds=30)
    watch.observe("p", position=10, end=50, now=0)
    watch.observe("p", position=11, end=50, now=25)
    assert watch.stuck(now=50) == []
    assert watch.stuck(now=55) == ["p"]


def test_an_idle_partition_without_lag_is_never_stuck() -> None:
    watch = ProgressWatch(stall_after_seconds=30)
    watch.observe("p", position=50, end=50, now=0)
    assert watch.stuck(now=10_000) == []
    # new records arrive after a long idle time: the clock starts when the lag appears
    watch.observe("p", position=50, end=51, now=10_000)
    assert watch.stuck(now=10_010) == []
    assert watch.stuck(now=10_030) == ["p"]


def test_a_revoked_partition_is_forgotten() -> None:
    watch = ProgressWatch(stall_after_seconds=1)
    watch.observe("p", position=0, end=5, now=0)
    watch.forget("p")
    assert watch.stuck(now=100) == [] and watch.lag() == 0


def test_a_timer_silent_past_its_tolerance_has_stopped() -> None:
    timer = TimerWatch(interval_seconds=30, started_at=0)
    assert not timer.silent(now=90)
    assert timer.silent(now=91)
    timer.beat(now=100)
    assert not timer.silent(now=189) and timer.silent(now=191)


@pytest.mark.parametrize(
    ("held", "partitions", "members", "missing"),
    [
        (0, 12, 1, True),  # alone and holding nothing: the fresh-start trap
        (0, 12, 3, True),
        (4, 12, 3, False),
        (0, 3, 5, False),  # more members than partitions: someone must hold nothing
        (0, 0, 1, False),
    ],
)
def test_partitions_missing(held: int, partitions: int, members: int, missing: bool) -> None:
    assert partitions_missing(held, partitions, members) is missing
