"""Which rollup answers which statistics window, and from when: pure, given `now`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

RollupTable = Literal["uptime_rollups_hourly", "uptime_rollups_daily"]
RegionRollupTable = Literal["uptime_region_rollups_hourly", "uptime_region_rollups_daily"]

# the same buckets counted per region
REGION_ROLLUPS: dict[RollupTable, RegionRollupTable] = {
    "uptime_rollups_hourly": "uptime_region_rollups_hourly",
    "uptime_rollups_daily": "uptime_region_rollups_daily",
}

_WINDOWS: dict[str, tuple[timedelta, RollupTable]] = {
    "24h": (timedelta(hours=24), "uptime_rollups_hourly"),
    "7d": (timedelta(days=7), "uptime_rollups_hourly"),
    "30d": (timedelta(days=30), "uptime_rollups_daily"),
    "90d": (timedelta(days=90), "uptime_rollups_daily"),
}


@dataclass(frozen=True)
class WindowPlan:
    table: RollupTable
    since: datetime
    first_bucket: datetime

    @property
    def region_table(self) -> RegionRollupTable:
        return REGION_ROLLUPS[self.table]


def plan_window(window: str, now: datetime) -> WindowPlan:
    length, table = _WINDOWS[window]
    since = now - length
    if table == "uptime_rollups_hourly":
        first = since.replace(minute=0, second=0, microsecond=0)
    else:
        first = since.replace(hour=0, minute=0, second=0, microsecond=0)
    return WindowPlan(table, since, first)
