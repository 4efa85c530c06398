"""Commit positions: only below the oldest check still running."""

from __future__ import annotations

from pulsecheck.prober.offsets import OffsetTracker


def test_commits_stop_at_the_oldest_unfinished_offset() -> None:
    offsets: OffsetTracker[str] = OffsetTracker()
    for offset in (10, 11, 12):
        offsets.started("p0", offset)
    offsets.finished("p0", 11)
    offsets.finished("p0", 12)
    assert offsets.to_commit() == {"p0": 10}
    offsets.committed({"p0": 10})
    assert offsets.to_commit() == {}
    offsets.finished("p0", 10)
    assert offsets.to_commit() == {"p0": 13}
    assert offsets.in_flight == 0


def test_partitions_are_independent_and_revoked_ones_forgotten() -> None:
    offsets: OffsetTracker[str] = OffsetTracker()
    offsets.started("p0", 0)
    offsets.started("p1", 5)
    offsets.finished("p1", 5)
    assert offsets.to_commit() == {"p0": 0, "p1": 6}
    offsets.forget(["p1"])
    offsets.finished("p1", 7)  # a late finish of a revoked partition is ignored
    assert offsets.to_commit() == {"p0": 0}
    assert offsets.in_flight == 1
