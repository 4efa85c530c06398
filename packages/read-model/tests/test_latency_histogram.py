"""Percentiles read from summed fixed-bucket histograms."""

from __future__ import annotations

from pulsecheck.read_model.latency_histogram import (
    BUCKETS,
    add_histograms,
    bucket_index,
    empty_histogram,
    percentile,
)


def test_latencies_land_in_their_bucket() -> None:
    assert bucket_index(0.5) == 0
    assert bucket_index(5) == 0
    assert bucket_index(5.1) == 1
    assert bucket_index(10**6) == BUCKETS - 1


def test_percentiles_of_a_uniform_spread_are_close() -> None:
    histogram = empty_histogram()
    for latency in range(1, 1001):
        histogram[bucket_index(latency)] += 1
    p50 = percentile(histogram, 0.5)
    p99 = percentile(histogram, 0.99)
    assert p50 is not None and 450 <= p50 <= 550
    assert p99 is not None and 950 <= p99 <= 1000


def test_empty_histogram_has_no_percentile_and_sums_add() -> None:
    assert percentile(empty_histogram(), 0.5) is None
    assert add_histograms([1, 2], [3, 4, 5]) == [4, 6, 5]
