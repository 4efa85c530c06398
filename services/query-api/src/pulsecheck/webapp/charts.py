"""The website page's response-time chart: p50 and p95 per rollup bucket as SVG geometry.

Pure: the template draws the paths and labels computed here, so no script or chart library
reaches the browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pulsecheck.read_model.latency_histogram import percentile

WIDTH, HEIGHT = 720.0, 220.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 12.0, 12.0, 28.0
TICKS = 4


@dataclass(frozen=True)
class LatencyPoint:
    at: datetime
    p50: float | None
    p95: float | None


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # the end ticks align inward, so their labels are not clipped


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    series: str  # "p50" or "p95": its CSS class


@dataclass(frozen=True)
class LatencyChart:
    points: list[LatencyPoint]
    p50_path: str
    p95_path: str
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    # a bucket between gaps is a path of one point, which draws nothing: dots show each value
    dots: list[Dot]
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    bottom: float = HEIGHT - BOTTOM


def latency_points(buckets: Sequence[dict[str, Any]]) -> list[LatencyPoint]:
    return [
        LatencyPoint(
            b["bucket"], percentile(b["latency_histogram"], 0.5),
            percentile(b["latency_histogram"], 0.95),
        )
        for b in buckets
    ]  # fmt: skip


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times 10^n at or above `value` (a readable axis top)."""
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if value <= step * factor:
            return step * factor
    return step * 10


def latency_chart(points: list[LatencyPoint], since: datetime, until: datetime) -> LatencyChart:
    top = _nice_ceiling(max([p.p95 or 0.0 for p in points] + [p.p50 or 0.0 for p in points] + [1]))
    span = (until - since).total_seconds() or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(at: datetime) -> float:
        return round(LEFT + plot_w * min(max((at - since).total_seconds() / span, 0.0), 1.0), 1)

    def y(ms: float) -> float:
        return round(TOP + plot_h * (1 - ms / top), 1)

    def path(values: list[tuple[datetime, float | None]]) -> str:
        # a bucket without checks breaks the line instead of drawing through the gap
        parts, pen_down = [], False
        for at, ms in values:
            if ms is None:
                pen_down = False
                continue
            parts.append(f"{'L' if pen_down else 'M'}{x(at)} {y(ms)}")
            pen_down = True
        return " ".join(parts)

    y_ticks = [Tick(y(top * i / TICKS), f"{top * i / TICKS:g} ms") for i in range(TICKS + 1)]
    long_window = span > 2 * 86400
    anchors = ["start", *["middle"] * (TICKS - 1), "end"]
    x_ticks = [
        Tick(x(at), at.strftime("%m-%d" if long_window else "%H:%M"), anchors[i])
        for i, at in enumerate(since + (until - since) * i / TICKS for i in range(TICKS + 1))
    ]
    dots = [
        Dot(x(p.at), y(ms), series)
        for p in points
        for series, ms in (("p95", p.p95), ("p50", p.p50))
        if ms is not None
    ]
    return LatencyChart(
        points,
        path([(p.at, p.p50) for p in points]),
        path([(p.at, p.p95) for p in points]),
        y_ticks,
        x_ticks,
        dots,
    )
