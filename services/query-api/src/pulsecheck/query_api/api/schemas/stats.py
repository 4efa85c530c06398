"""Statistics of one website over a window, computed from rollups."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

StatsWindow = Literal["24h", "7d", "30d", "90d"]


class LatencySummary(BaseModel):
    mean_ms: float | None
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None


class WebsiteStats(BaseModel):
    website_id: str
    window: StatsWindow
    since: datetime
    until: datetime
    checks: int
    up: int
    degraded: int
    down: int
    uptime_percent: float | None
    incidents: int
    latency: LatencySummary
