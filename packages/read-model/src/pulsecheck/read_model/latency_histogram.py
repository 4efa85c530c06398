"""A fixed-bucket latency histogram: rollups add them up, percentiles are read from the sum."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

# upper bounds in milliseconds; one more bucket catches everything slower
BOUNDS_MS: tuple[float, ...] = (
    5,
    10,
    15,
    20,
    30,
    40,
    50,
    65,
    80,
    100,
    125,
    150,
    200,
    250,
    300,
    400,
    500,
    650,
    800,
    1000,
    1250,
    1500,
    2000,
    2500,
    3000,
    4000,
    5000,
    7500,
    10000,
    15000,
    20000,
    30000,
    60000,
)
BUCKETS = len(BOUNDS_MS) + 1


def bucket_index(latency_ms: float) -> int:
    return bisect.bisect_left(BOUNDS_MS, latency_ms)


def empty_histogram() -> list[int]:
    return [0] * BUCKETS


def percentile(histogram: Sequence[int], fraction: float) -> float | None:
    """The latency below which `fraction` of the samples fall (linear within a bucket)."""
    total = sum(histogram)
    if total == 0:
        return None
    rank = fraction * total
    seen = 0
    for index, count in enumerate(histogram):
        if count and seen + count >= rank:
            low = BOUNDS_MS[index - 1] if index > 0 else 0.0
            high = BOUNDS_MS[index] if index < len(BOUNDS_MS) else BOUNDS_MS[-1]
            within = (rank - seen) / count
            return round(low + (high - low) * within, 3)
        seen += count
    return BOUNDS_MS[-1]


def add_histograms(left: Sequence[int], right: Sequence[int]) -> list[int]:
    size = max(len(left), len(right))
    return [
        (left[i] if i < len(left) else 0) + (right[i] if i < len(right) else 0) for i in range(size)
    ]
