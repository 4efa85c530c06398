"""Statistics of one website over a window, computed from rollups."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

StatsWindow = Literal["24h", "7d", "30d", "90d"]


class LatencySummary(BaseModel):
    mean_ms: float | None
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None


class WebsiteStats(BaseModel):
    website_id: str
    window: StatsWindow
    region: str | None = Field(description="the region counted; null: every region")
    scope: Literal["overall", "region"] = Field(
        description="overall: the checks of every region together; region: of `region` alone"
    )
    since: datetime
    until: datetime
    checks: int
    up: int
    degraded: int
    down: int
    uptime_percent: float | None
    incidents: int = Field(
        description="incidents opened in the window; for a region, those it was failing in"
    )
    latency: LatencySummary
