"""The response-time chart's geometry: pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pulsecheck.read_model.latency_histogram import bucket_index, empty_histogram
from pulsecheck.webapp.charts import HEIGHT, LEFT, LatencyPoint, latency_chart, latency_points

START = datetime(2025, 1, 1, tzinfo=UTC)


def _histogram(*latencies: float) -> list[int]:
    counts = empty_histogram()
    for ms in latencies:
        counts[bucket_index(ms)] += 1
    return counts


def test_each_bucket_gets_its_p50_and_p95_and_an_empty_one_none() -> None:
    rows = [
        {"bucket": START, "latency_histogram": _histogram(*[100.0] * 19, 900.0)},
        {"bucket": START + timedelta(hours=1), "latency_histogram": empty_histogram()},
    ]
    first, empty = latency_points(rows)
    assert first.p50 is not None and first.p95 is not None and first.p50 < first.p95
    assert empty.p50 is None and empty.p95 is None


def test_a_gap_lifts_the_pen_and_the_axis_top_is_a_round_number() -> None:
    points = [
        LatencyPoint(START, 120.0, 180.0),
        LatencyPoint(START + timedelta(hours=1), None, None),
        LatencyPoint(START + timedelta(hours=2), 130.0, 340.0),
    ]
    chart = latency_chart(points, START, START + timedelta(hours=2))
    assert chart.p50_path.count("M") == 2 and "L" not in chart.p50_path
    assert chart.y_ticks[-1].label == "500 ms"  # 340 rounds up to 500
    assert chart.p50_path.startswith(f"M{LEFT} ")
    assert len(chart.dots) == 4  # the lone second point still shows
    assert [t.anchor for t in chart.x_ticks][::4] == ["start", "end"]


def test_no_points_draw_nothing_but_keep_the_axes() -> None:
    chart = latency_chart([], START, START + timedelta(days=30))
    assert chart.p50_path == chart.p95_path == ""
    assert len(chart.x_ticks) == 5 and chart.x_ticks[0].label == "01-01"
    assert all(0 <= tick.position <= HEIGHT for tick in chart.y_ticks)
