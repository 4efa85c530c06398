"""A status page's content from its rows: pure, given `today` (the first hour of the day)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

DAYS = 90


@dataclass(frozen=True)
class DayBar:
    day: datetime
    percent: float | None

    @property
    def label(self) -> str:
        shown = "no data" if self.percent is None else f"{self.percent:.2f} %"
        return f"{self.day:%Y-%m-%d}: {shown}"

    @property
    def level(self) -> str:
        """The bar's CSS class: a day is "none" without checks, else by its uptime."""
        if self.percent is None:
            return "none"
        return "up" if self.percent >= 99.9 else "partial" if self.percent >= 95 else "down"


@dataclass(frozen=True)
class WebsiteBars:
    name: str
    status: str
    bars: list[DayBar]
    percent: float | None  # over the days with checks


def first_day(today: datetime) -> datetime:
    return today - timedelta(days=DAYS - 1)


def website_bars(
    websites: list[dict[str, Any]],
    daily: dict[uuid.UUID, dict[datetime, float]],
    today: datetime,
) -> list[WebsiteBars]:
    days = [first_day(today) + timedelta(days=n) for n in range(DAYS)]
    shown = []
    for website in websites:
        by_day = daily.get(website["id"], {})
        bars = [DayBar(day, by_day.get(day)) for day in days]
        known = [bar.percent for bar in bars if bar.percent is not None]
        status = "paused" if website["paused"] else website["status"]
        average = round(sum(known) / len(known), 2) if known else None
        shown.append(WebsiteBars(website["name"], status, bars, average))
    return shown


def overall(websites: list[WebsiteBars]) -> str:
    """The page's headline: what a visitor reads first."""
    statuses = {w.status for w in websites}
    if "down" in statuses:
        return "Some systems are down"
    if "degraded" in statuses:
        return "Some systems are degraded"
    if statuses <= {"up", "paused"} and "up" in statuses:
        return "All systems operational"
    return "Status not known yet"
