"""Short windows read hourly rollups, long ones daily rollups."""

from __future__ import annotations

from datetime import UTC, datetime

from pulsecheck.read_model.stats_windows import plan_window

NOW = datetime(2025, 6, 15, 13, 47, 5, tzinfo=UTC)


def test_day_window_starts_at_the_hour() -> None:
    plan = plan_window("24h", NOW)
    assert plan.table == "uptime_rollups_hourly"
    assert plan.first_bucket == datetime(2025, 6, 14, 13, tzinfo=UTC)


def test_month_window_starts_at_the_day() -> None:
    plan = plan_window("30d", NOW)
    assert plan.table == "uptime_rollups_daily"
    assert plan.first_bucket == datetime(2025, 5, 16, tzinfo=UTC)
