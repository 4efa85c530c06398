from __future__ import annotations

import pytest

from pulsecheck.scheduler.offsets import stable_offset_ms


@pytest.mark.parametrize(
    ("name", "monitor_id", "span_ms"),
    [
        ("short interval", "m-1", 10_000),
        ("default interval", "m-2", 300_000),
        ("one hour window", "3f0c7c1e-8a9e-4a59-9c43-4b0a0ad7e0f2", 3_600_000),
        ("one millisecond", "m-3", 1),
    ],
)
def test_offset_lies_in_the_span_and_is_stable(name: str, monitor_id: str, span_ms: int) -> None:
    offset = stable_offset_ms(monitor_id, span_ms)
    assert 0 <= offset < span_ms, name
    assert stable_offset_ms(monitor_id, span_ms) == offset, name


def test_an_empty_span_means_no_offset() -> None:
    assert stable_offset_ms("m-1", 0) == 0


def test_monitors_registered_together_are_spread_over_the_interval() -> None:
    interval_ms = 60_000
    offsets = [stable_offset_ms(f"monitor-{i}", interval_ms) for i in range(6_000)]
    per_second = [0] * 60
    for offset in offsets:
        per_second[offset // 1000] += 1
    # 100 per second on average; a hash spreads them, never a thundering herd
    assert max(per_second) < 150
    assert min(per_second) > 50
