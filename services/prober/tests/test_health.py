"""The prober's probes from fake state: the skip ratio window, and the verdicts built on it."""

from __future__ import annotations

from typing import Any

from pulsecheck.prober.health import SKIP_WINDOW_SECONDS, ProberProbes
from pulsecheck.prober.metrics import ProberMetrics
from pulsecheck.prober.skips import SkipWindow


class FakeWatch:
    unready_now: dict[str, Any] = {}

    async def stuck(self, now: float) -> dict[str, Any]:
        return {}

    async def unready(self) -> dict[str, Any]:
        return dict(self.unready_now)

    def details(self) -> dict[str, Any]:
        return {"held_partitions": 3, "lag": 0}


def test_the_skip_ratio_covers_only_the_window() -> None:
    window = SkipWindow(window_seconds=60, started_at=0)
    assert window.observe(10, completed=0, skipped=0) == 0.0
    assert window.observe(30, completed=40, skipped=60) == 0.6
    # a minute later the bad stretch has left the window: only what happened since counts
    assert window.observe(95, completed=140, skipped=60) == 0.0
    # measured from the newest totals at or before the window's start (t=30)
    assert window.observe(100, completed=150, skipped=70) == 10 / (110 + 10)


async def test_a_prober_skipping_too_much_turns_unready_and_says_so() -> None:
    metrics, clock = ProberMetrics(), [0.0]
    probes = ProberProbes(FakeWatch(), metrics, 0.2, lambda: True, "eu", lambda: clock[0])  # type: ignore[arg-type]
    metrics.checks.labels("http", "up").inc(8)
    metrics.skipped.inc(2)
    clock[0] = 10.0
    assert await probes.readiness() == (True, {"region": "eu", "skip_ratio": 0.2})
    metrics.skipped.inc(10)
    ok, details = await probes.readiness()
    assert not ok
    assert details["problems"] == {"skip_ratio": "0.60 above 0.20"}
    assert b"pulsecheck_prober_skip_ratio 0.6" in probes.exposition()
    clock[0] += SKIP_WINDOW_SECONDS + 20
    metrics.checks.labels("http", "up").inc(100)
    assert (await probes.readiness())[0]


async def test_liveness_fails_when_the_worker_loop_stopped() -> None:
    running = [True]
    probes = ProberProbes(FakeWatch(), ProberMetrics(), 0.2, lambda: running[0], "local")  # type: ignore[arg-type]
    assert (await probes.liveness())[0]
    running[0] = False
    assert await probes.liveness() == (
        False,
        {"problems": {"worker": "stopped"}, "region": "local", "held_partitions": 3, "lag": 0},
    )
