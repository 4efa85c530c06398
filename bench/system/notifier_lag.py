"""The notifier's consumer lag over the window, scraped from its `/metrics`
(`pulsecheck_notifier_lag_records`, summed over partitions): is it keeping up or falling behind?"""

from __future__ import annotations

import asyncio
import time

import httpx

METRIC = "pulsecheck_notifier_lag_records"
EVERY_SECONDS = 2.0


def total_lag(exposition: str) -> float | None:
    """The metric summed over its series; None when the notifier exports none yet."""
    values = [
        float(line.rsplit(" ", 1)[1])
        for line in exposition.splitlines()
        if line.startswith(METRIC + "{") or line.startswith(METRIC + " ")
    ]
    return sum(values) if values else None


async def sample_lag(metrics_url: str, end: float) -> list[tuple[float, float]]:
    """(epoch, records behind) every couple of seconds until `end` (wall clock)."""
    samples: list[tuple[float, float]] = []
    async with httpx.AsyncClient(timeout=5) as client:
        while time.time() < end:
            try:
                lag = total_lag((await client.get(metrics_url)).text)
            except httpx.HTTPError:
                lag = None  # a busy notifier may miss a scrape: a gap, not a zero
            if lag is not None:
                samples.append((time.time(), lag))
            await asyncio.sleep(EVERY_SECONDS)
    return samples


def lag_summary(samples: list[tuple[float, float]]) -> str:
    if not samples:
        return "notifier lag            no samples"
    lags = [lag for _, lag in samples]
    third = max(1, len(lags) // 3)
    first, last = sum(lags[:third]) / third, sum(lags[-third:]) / third
    trend = "growing" if last > 2 * first + 100 else "not growing"
    return (
        f"notifier lag            start {lags[0]:.0f}, max {max(lags):.0f}, end {lags[-1]:.0f}"
        f" records; mean of first / last third {first:.0f} / {last:.0f}: {trend}"
        f" ({len(lags)} samples)"
    )
